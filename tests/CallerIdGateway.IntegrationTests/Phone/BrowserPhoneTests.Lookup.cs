using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Phone;

/// <summary>The number search: the REST lookup's result in the dashboard, with a one-click call through the browser phone.</summary>
public sealed partial class BrowserPhoneTests
{
    [Fact]
    public async Task A_searched_number_shows_its_customer_and_one_click_calls_it_and_a_refused_call_says_why()
    {
        var agent = await OpenAgentAsync("agent1008");
        var customer = await OpenCustomerAsync();
        var search = agent.GetByRole(AriaRole.Searchbox, new() { Name = "جستجوی شماره" });
        var result = agent.Locator("#lookup-result");

        // Typed as an agent might (Persian digits, a dash): the lookup finds the demo customer.
        await search.FillAsync("۰۲۱-۱۲۳۴۵۶۷۸");
        await search.PressAsync("Enter");
        await Expect(result).ToHaveAttributeAsync("data-status", "found");
        await Expect(result.Locator(".lookup-name")).ToHaveTextAsync("خلیلی");
        await Expect(result.Locator(".lookup-sub").Last).ToContainTextAsync("آخرین فاکتور");
        await ScreenshotAsync(agent, "browser-phone-lookup.png");
        await result.GetByRole(AriaRole.Button, new() { Name = "تماس با ۰۲۱ ۱۲۳۴ ۵۶۷۸" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('incoming:1008')");
        // The far end refuses: the agent reads the SIP status on the call's card.
        await customer.EvaluateAsync("() => window.customer.refuse(486, 'Busy Here')");
        var busy = agent.Locator("#phone-calls .call-card").Filter(new() { HasText = "۰۲۱ ۱۲۳۴ ۵۶۷۸" });
        await Expect(busy.Locator(".phone-error")).ToHaveTextAsync("سرور تلفن تماس را نپذیرفت (486 Busy Here).");

        // A number nobody has can still be called; the PBX (Kamailio) knows no such user and refuses.
        await search.FillAsync("0935 000 1111");
        await search.PressAsync("Enter");
        await Expect(result).ToHaveAttributeAsync("data-status", "notFound");
        await Expect(result).ToContainTextAsync("مشتری‌ای با این شماره نیست.");
        await result.GetByRole(AriaRole.Button, new() { Name = "تماس با ۰۹۳۵ ۰۰۰ ۱۱۱۱" }).ClickAsync();
        var refused = agent.Locator("#phone-calls .call-card").Filter(new() { HasText = "۰۹۳۵ ۰۰۰ ۱۱۱۱" });
        await Expect(refused.Locator(".phone-error")).ToHaveTextAsync("سرور تلفن تماس را نپذیرفت (404 Not Found).");
        await Expect(refused).ToHaveAttributeAsync("data-state", "ended");

        // Not a number: said, and nothing to call.
        await search.FillAsync("abc");
        await search.PressAsync("Enter");
        await Expect(result).ToHaveAttributeAsync("data-status", "invalid");
        await Expect(result).ToContainTextAsync("این یک شماره تلفن نیست.");
        await Expect(result.Locator(".dial")).ToHaveCountAsync(0);

        await agent.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(result).ToContainTextAsync("This is not a phone number.");
        var refusedInEnglish = agent.Locator("#phone-calls .call-card").Filter(new() { HasText = "0935 000 1111" });
        await Expect(refusedInEnglish.Locator(".phone-error")).ToHaveTextAsync("The phone server refused the call (404 Not Found).");
    }
}
