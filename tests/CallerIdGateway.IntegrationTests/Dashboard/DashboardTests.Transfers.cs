using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Dashboard;

/// <summary>Transferred, outbound and internal calls on the dashboard, from the real captures.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task An_attended_transfer_shows_the_colleague_and_the_waiting_customer_then_the_customers_call()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");
        var frames = DashboardFixture.Frames("attended-transfer", "9401");

        // 1009 consults 1008: the colleague calls, and the card already shows the customer who waits.
        await fixture.SendUntilFrameWithAsync(frames, "\"type\":\"Dial\"", "\"dialstatus\":\"RINGING\"", "PJSIP/1008-00000007");
        var card = Card(page, "9401", "1008");
        await Expect(card).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(card).ToHaveAttributeAsync("data-direction", "internal");
        await Expect(card.Locator(".direction-pill")).ToHaveTextAsync("داخلی");
        await Expect(card.Locator(".banner-transfer")).ToHaveTextAsync("Support 1009 در حال انتقال مشتری خلیلی به شماست");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("خلیلی");
        await Expect(card.Locator(".invoice-number")).ToHaveTextAsync("1403-0457");
        await Expect(page.Locator("#announcer")).ToHaveTextAsync("تماس ورودی از خلیلی روی داخلی ۱۰۰۸");
        await ScreenshotAsync(page, "dashboard-consultation.png");

        // 1009 hangs up: the transfer completes and the same card is the customer's, answered.
        await fixture.SendUntilFrameWithAsync(frames, "\"type\":\"ChannelConnectedLine\"", "PJSIP/1008-00000007", "\"connected\":{\"name\":\"\",\"number\":\"09123456789\"}");
        await Expect(card.Locator(".banner-transfer")).ToHaveTextAsync("منتقل‌شده از داخلی ۱۰۰۹ (با هماهنگی)");
        await Expect(card).ToHaveAttributeAsync("data-direction", "inbound");
        await Expect(card).ToHaveAttributeAsync("data-state", "answered");
        await Expect(card.Locator(".direction-pill")).ToHaveTextAsync("ورودی");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("خلیلی");
        await ScreenshotAsync(page, "dashboard-transferred.png");

        await fixture.SendUntilAsync(frames);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
        await card.Locator(".dismiss").ClickAsync();
        var recent = page.Locator("#recent-list > li[data-key^='9401']");
        await Expect(recent).ToHaveAttributeAsync("data-direction", "inbound");
        await Expect(recent.Locator(".recent-transfer")).ToHaveTextAsync("از ۱۰۰۹");
    }

    [Fact]
    public async Task An_outbound_call_says_whom_the_agent_calls_and_an_internal_call_shows_the_colleague()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        var outbound = DashboardFixture.Frames("outbound", "9402");
        await fixture.SendUntilAsync(outbound, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9402", "1008");
        await Expect(card).ToHaveAttributeAsync("data-direction", "outbound");
        await Expect(card.Locator(".direction-pill")).ToHaveTextAsync("خروجی");
        await Expect(card.Locator(".banner-outbound")).ToHaveTextAsync("در حال تماس با خلیلی");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("خلیلی");
        await Expect(page.Locator("#announcer")).ToHaveTextAsync("در حال تماس با خلیلی");
        await ScreenshotAsync(page, "dashboard-outbound.png");
        await fixture.SendUntilAsync(outbound);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
        await card.Locator(".dismiss").ClickAsync();

        var internalCall = DashboardFixture.Frames("internal", "9403");
        await fixture.SendUntilAsync(internalCall, "\"dialstatus\":\"RINGING\"");
        card = Card(page, "9403", "1008");
        await Expect(card).ToHaveAttributeAsync("data-direction", "internal");
        await Expect(card).ToHaveAttributeAsync("data-lookup", "colleague");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("Support 1009");
        await Expect(card.Locator(".caller-subtitle")).ToHaveTextAsync("همکار، داخلی ۱۰۰۹");
        await Expect(card.GetByText("ثبت مشتری جدید")).ToHaveCountAsync(0);
        await Expect(card.GetByText("شماره ناشناس")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "dashboard-internal.png");
        await fixture.SendUntilAsync(internalCall);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
        await card.Locator(".dismiss").ClickAsync();

        // A missed incoming call besides them; the filter keeps only that one.
        await fixture.SendUntilAsync(DashboardFixture.Frames("hangup-ari", "9404"));
        await Expect(page.Locator("#recent-list > li[data-key^='9404']")).ToHaveAttributeAsync("data-state", "missed", new() { Timeout = 30_000 });
        await Expect(page.Locator("#recent-list > li[data-key^='9402']")).ToHaveAttributeAsync("data-direction", "outbound");
        await Expect(page.Locator("#recent-list > li[data-key^='9403']")).ToHaveAttributeAsync("data-direction", "internal");
        await Expect(page.Locator("#recent-list > li[data-key^='9403'] .recent-name")).ToHaveTextAsync("Support 1009");
        await page.GetByRole(AriaRole.Button, new() { Name = "فقط ورودی‌های بی‌پاسخ" }).ClickAsync();
        await Expect(page.Locator("#recent-list > li")).ToHaveCountAsync(await page.Locator("#recent-list > li[data-state='missed'][data-direction='inbound']").CountAsync());
        await Expect(page.Locator("#recent-list > li[data-key^='9404']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#recent-list > li[data-key^='9402']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#recent-list > li[data-key^='9403']")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "dashboard-recent-missed-filter.png");
    }
}
