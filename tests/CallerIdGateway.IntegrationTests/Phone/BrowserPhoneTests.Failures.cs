using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Phone;

/// <summary>The failures the panel names, in Persian and English, with real causes: Kamailio gone, a microphone the browser denies.</summary>
public sealed partial class BrowserPhoneTests
{
    [Fact]
    public async Task When_the_phone_server_drops_the_panel_says_it_is_unreachable_and_the_phone_registers_again_once_it_is_back()
    {
        var agent = await OpenAgentAsync("agent1008");
        var state = agent.Locator("#phone-state");
        try
        {
            await fixture.Network.StopKamailioAsync();
            await Expect(state).ToHaveAttributeAsync("data-status", "failed");
            await Expect(state).ToContainTextAsync("به سرور تلفن (WebSocket) وصل نشد؛ دوباره تلاش می‌شود.");
            await agent.Locator("#dashboard .language-toggle").ClickAsync();
            await Expect(state).ToContainTextAsync("Cannot reach the phone server (WebSocket); retrying.");
        }
        finally
        {
            await fixture.Network.StartKamailioAsync();
        }
        // JsSIP reconnects 2 s after the drop, then further apart (up to 30 s): a generous margin.
        await Expect(state).ToHaveAttributeAsync("data-status", "registered", new() { Timeout = 45_000 });
        await Expect(state).ToHaveTextAsync("Phone ready");

        // Registered for real: a call reaches it again.
        var customer = await OpenCustomerAsync();
        await customer.EvaluateAsync("() => window.customer.call('1008', null)");
        await Expect(agent.Locator("#phone-calls .call-card")).ToHaveAttributeAsync("data-state", "ringing");
    }

    [Fact]
    public async Task A_microphone_the_browser_refuses_is_said_on_the_card_and_the_caller_hears_the_call_refused()
    {
        var agent = await OpenAgentAsync("agent1008", await fixture.PromptingBrowserAsync(), grantMicrophone: false);
        var phoneCard = await AnswerACallAsync(agent);

        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("اجازه استفاده از میکروفون داده نشد؛ از تنظیمات مرورگر اجازه دهید.");
        await Expect(phoneCard).ToHaveAttributeAsync("data-state", "ended");
        await agent.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("Microphone access was denied; allow it in the site settings of the browser.");
    }

    [Fact]
    public async Task A_missing_microphone_is_said_on_the_card_and_the_caller_hears_the_call_refused()
    {
        var agent = await OpenAgentAsync("agent1008", await fixture.MicrophonelessBrowserAsync(), grantMicrophone: true);
        var phoneCard = await AnswerACallAsync(agent);

        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("میکروفونی پیدا نشد؛ یک میکروفون یا هدست وصل کنید.");
        await Expect(phoneCard).ToHaveAttributeAsync("data-state", "ended");
        await agent.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("No microphone found; connect a microphone or headset.");
    }

    [Fact]
    public async Task A_call_whose_media_cannot_connect_says_there_is_no_audio()
    {
        var agent = await OpenAgentAsync("agent1008");
        var customer = await OpenCustomerAsync();
        await customer.EvaluateAsync("() => window.customer.call('1008', null, true)");
        var phoneCard = agent.Locator("#phone-calls .call-card");
        await phoneCard.GetByRole(AriaRole.Button, new() { Name = "پاسخ" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('confirmed')");

        // SIP says answered; ICE never connects (Chromium keeps 'checking' without a remote candidate):
        // the phone says so 10 s after the answer.
        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("صدا برقرار نشد (ICE/DTLS)؛ شبکه بین مرورگر و سرور تلفن را بررسی کنید.", new() { Timeout = 30_000 });
        await agent.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(phoneCard.Locator(".phone-error")).ToHaveTextAsync("No audio (ICE/DTLS failed); check the network between the browser and the phone server.");
        await phoneCard.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('ended:remote')");
    }

    /// <summary>The customer calls; the agent clicks Answer; the customer's call fails (the agent's phone refused it). Returns the agent's card.</summary>
    private async Task<ILocator> AnswerACallAsync(IPage agent)
    {
        var customer = await OpenCustomerAsync();
        await customer.EvaluateAsync("() => window.customer.call('1008', null)");
        var phoneCard = agent.Locator("#phone-calls .call-card");
        await phoneCard.GetByRole(AriaRole.Button, new() { Name = "پاسخ" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('failed:Unavailable')");
        return phoneCard;
    }
}
