using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Dashboard;

/// <summary>
/// What the agents see: the dashboard at <c>/</c> in a real Chromium, signed in with a cookie,
/// fed by the hub while the test ARI server replays real captured calls.
/// </summary>
public sealed partial class DashboardTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _windows = [];
    private readonly List<string> _scriptErrors = [];

    static DashboardTests() => SetDefaultExpectTimeout(15_000);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var window in _windows)
        {
            await window.CloseAsync();
        }
        Assert.Empty(_scriptErrors);
    }

    [Fact]
    public async Task A_known_caller_ringing_on_1008_shows_the_customer_and_the_last_invoice_until_the_call_ends()
    {
        var page = await OpenAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fa");
        await SignInAsync(page, "agent1008");
        await Expect(page.Locator("#agent-name")).ToHaveTextAsync("کارشناس ۱۰۰۸");
        await Expect(page.Locator("#agent-extensions")).ToHaveTextAsync("داخلی ۱۰۰۸");
        var khalili = (await fixture.App.LookupAsync(fixture.App.CreateKeyClient(), "12345678"))!;

        var frames = DashboardFixture.Frames("answered", "9301");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");

        var card = Card(page, "9301", "1008");
        await Expect(card).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("در حال زنگ");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("خلیلی");
        await Expect(card.Locator(".caller-number")).ToHaveTextAsync("۰۲۱ ۱۲۳۴ ۵۶۷۸");
        await Expect(card.Locator(".invoice-number")).ToHaveTextAsync("1403-0457");
        await Expect(card.Locator(".invoice-amount")).ToHaveTextAsync("۱۲۵٬۰۰۰٬۰۰۰ ریال");
        await Expect(card.Locator(".invoice-date")).ToHaveTextAsync(JalaliDate(khalili.LastInvoice!.IssuedAt!.Value));
        await Expect(card.Locator(".status-pill")).ToHaveTextAsync("پرداخت‌شده");
        await Expect(card.Locator(".chip-matched")).ToContainTextAsync("۱۲۳۴ ۵۶۷۸");
        await Expect(card.Locator(".timer-value")).ToHaveTextAsync(new Regex("^۰۰:(۰[۱-۹]|[۱-۵][۰-۹])$")); // the ring time runs
        var profile = card.GetByRole(AriaRole.Link, new() { Name = "باز کردن پرونده خلیلی در برگه جدید" });
        await Expect(profile).ToHaveAttributeAsync("href", DashboardFixture.ProfileUrlTemplate.Replace("{id}", khalili.Customer!.Id.ToString(CultureInfo.InvariantCulture)));
        await Expect(profile).ToHaveAttributeAsync("target", "_blank");
        await Expect(page.Locator("#announcer")).ToHaveTextAsync("تماس ورودی از خلیلی روی داخلی ۱۰۰۸");
        await Expect(page).ToHaveTitleAsync("(۱) زنگ: خلیلی · شناسه تماس"); // seen from another tab
        await ScreenshotAsync(page, "dashboard-ringing.png");

        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"ANSWER\"");
        await Expect(card).ToHaveAttributeAsync("data-state", "answered");
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("در حال مکالمه");
        await Expect(page).ToHaveTitleAsync("شناسه تماس");
        await Expect(card.Locator(".timer-label")).ToHaveTextAsync("مدت مکالمه");
        await ScreenshotAsync(page, "dashboard-answered.png");

        await fixture.SendUntilAsync(frames);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("پایان تماس");
        await card.GetByRole(AriaRole.Button, new() { Name = "بستن کارت و انتقال به تماس‌های اخیر" }).ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        var recent = page.Locator("#recent-list > li[data-key^='9301']");
        await Expect(recent).ToHaveAttributeAsync("data-state", "ended");
        await Expect(recent.Locator(".recent-name")).ToHaveTextAsync("خلیلی");
    }

    [Fact]
    public async Task The_English_switch_turns_the_page_left_to_right_and_is_remembered()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        await page.Locator(".topbar .language-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#live-title")).ToContainTextAsync("Calls now");
        await page.ReloadAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("#connection-label")).ToHaveTextAsync("Connected");

        var frames = DashboardFixture.Frames("missed", "9302");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9302", "1008");
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("Ringing");
        await Expect(card.Locator(".caller-number")).ToHaveTextAsync("021 1234 5678");
        await Expect(card.Locator(".invoice-amount")).ToHaveTextAsync("125,000,000 rials");
        await Expect(card.Locator(".status-pill")).ToHaveTextAsync("Paid");
        await Expect(card.Locator(".invoice-date")).ToHaveTextAsync(new Regex(@"^\d{1,2} \w+ 14\d\d \(\d{1,2} \w{3} 20\d\d\)$"));
        await Expect(page).ToHaveTitleAsync("(1) Ringing: خلیلی · Caller ID");
        await ScreenshotAsync(page, "dashboard-english.png");

        await fixture.SendUntilAsync(frames);
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("Missed");
        await Expect(page).ToHaveTitleAsync("Caller ID");
        await page.Locator(".topbar .language-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(card.Locator(".state-pill")).ToHaveTextAsync("بی‌پاسخ");
    }

    [Fact]
    public async Task An_unknown_caller_shows_the_number_and_a_link_to_create_the_customer_then_is_listed_as_missed()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        var frames = DashboardFixture.Frames("missed", "9303", callerNumber: "09350001122");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9303", "1008");
        await Expect(card).ToHaveAttributeAsync("data-lookup", "notFound");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("۰۹۳۵ ۰۰۰ ۱۱۲۲");
        await Expect(card.Locator(".caller-subtitle")).ToHaveTextAsync("شماره ناشناس");
        var create = card.GetByRole(AriaRole.Link, new() { Name = "ثبت مشتری جدید" });
        await Expect(create).ToHaveAttributeAsync("href", DashboardFixture.NewCustomerUrlTemplate.Replace("{number}", Uri.EscapeDataString("+989350001122")));
        await ScreenshotAsync(page, "dashboard-unknown.png");

        await fixture.SendUntilAsync(frames);
        await Expect(card).ToHaveAttributeAsync("data-state", "missed");
        await Expect(page.Locator("#announcer")).ToHaveTextAsync("تماس بی‌پاسخ از ۰۹۳۵ ۰۰۰ ۱۱۲۲");
        await card.Locator(".dismiss").ClickAsync();
        var recent = page.Locator("#recent-list > li[data-key^='9303']");
        await Expect(recent).ToHaveAttributeAsync("data-state", "missed");
        await Expect(recent.Locator(".tag-missed")).ToHaveTextAsync("بی‌پاسخ");
    }

    [Fact]
    public async Task A_withheld_number_shows_a_plain_card_in_a_narrow_window()
    {
        var page = await OpenAsync(width: 400, height: 860);
        await SignInAsync(page, "agent1008");

        var frames = DashboardFixture.Frames("answered", "9304", callerNumber: "anonymous");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9304", "1008");
        await Expect(card).ToHaveAttributeAsync("data-lookup", "noNumber");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("شماره مخفی");
        await Expect(card.Locator("a")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "dashboard-narrow-withheld.png");
        await fixture.SendUntilAsync(frames);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
    }

    [Fact]
    public async Task A_number_shared_by_two_customers_shows_the_best_match_and_lets_the_agent_switch()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        var frames = DashboardFixture.Frames("answered", "9305", callerNumber: "02166554433");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9305", "1008");
        await Expect(card.Locator(".matches-note")).ToHaveTextAsync("این شماره برای ۲ مشتری ثبت شده است");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("فروشگاه آفتاب – شعبه مرکزی");
        await Expect(card.Locator(".invoice-number")).ToHaveTextAsync("1403-0388");

        await card.GetByRole(AriaRole.Button, new() { Name = "فروشگاه آفتاب – انبار" }).ClickAsync();
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("فروشگاه آفتاب – انبار");
        await Expect(card.Locator(".invoice-number")).ToHaveTextAsync("1403-0301");
        await Expect(card.Locator(".status-pill")).ToHaveTextAsync("باطل‌شده");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "فروشگاه آفتاب – انبار" })).ToHaveAttributeAsync("aria-pressed", "true");

        // The agent's choice survives the call's next change.
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"ANSWER\"");
        await Expect(card).ToHaveAttributeAsync("data-state", "answered");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("فروشگاه آفتاب – انبار");
        await fixture.SendUntilAsync(frames);
        await Expect(card).ToHaveAttributeAsync("data-state", "ended");
    }

    [Fact]
    public async Task Two_calls_at_once_each_get_their_own_card()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        await fixture.SendUntilAsync(DashboardFixture.Frames("simultaneous", "9308"));
        var cards = page.Locator(".call-card[data-key^='9308']");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.Locator(".caller-name")).ToHaveTextAsync(["خلیلی", "خلیلی"]);
        await Expect(cards.Locator(".caller-number")).ToHaveTextAsync([new Regex("^(۰۹۱۲ ۳۴۵ ۶۷۸۹|۰۲۱ ۱۲۳۴ ۵۶۷۸)$"), new Regex("^(۰۹۱۲ ۳۴۵ ۶۷۸۹|۰۲۱ ۱۲۳۴ ۵۶۷۸)$")]);
        await Expect(page.Locator("#live-count")).ToHaveTextAsync("۲");
        await ScreenshotAsync(page, "dashboard-two-calls.png");
    }

    [Fact]
    public async Task A_call_whose_customer_lookup_timed_out_still_shows_the_number_with_a_notice()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");

        // The database cannot be made slow on demand here; the hub carries what the resolver says then.
        var now = DateTimeOffset.UtcNow;
        await fixture.App.Get<IHubContext<CallsHub, ICallsClient>>().Clients.Group(CallsHub.Group("1008")).CallChanged(new CustomerCallData
        {
            Lookup = LookupStatus.Unavailable,
            Number = new NumberView("09121234567", "+989121234567", "0912 123 4567"),
            Call = new CallInfo
            {
                Id = "9309.1", Extension = "1008", CallerNumber = "09121234567", CallerName = "", NormalizedNumber = "+989121234567",
                State = CallState.Ringing, Source = CallSource.Ari, StartedAt = now,
            },
        });

        var card = Card(page, "9309", "1008");
        await Expect(card).ToHaveAttributeAsync("data-lookup", "unavailable");
        await Expect(card.Locator(".caller-name")).ToHaveTextAsync("۰۹۱۲ ۱۲۳ ۴۵۶۷");
        await Expect(card.Locator(".banner-warning")).ToContainTextAsync("اطلاعات مشتری در دسترس نیست");
    }

    [Fact]
    public async Task A_ring_group_call_taken_on_another_extension_says_where_and_closes_by_itself()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1009");

        await fixture.SendUntilAsync(DashboardFixture.Frames("ring-group", "9306"));
        var card = Card(page, "9306", "1009");
        await Expect(card).ToHaveAttributeAsync("data-state", "answeredElsewhere");
        await Expect(card.Locator(".banner-elsewhere")).ToHaveTextAsync("پاسخ داده شد در داخلی ۱۰۰۸");
        await ScreenshotAsync(page, "dashboard-answered-elsewhere.png");

        await Expect(card).ToHaveCountAsync(0);
        await Expect(page.Locator("#recent-list > li[data-key^='9306']")).ToHaveAttributeAsync("data-state", "answeredElsewhere");
        await Expect(page.Locator("[data-key$='|1008']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task After_a_dropped_connection_the_dashboard_catches_up_without_a_reload()
    {
        var page = await OpenAsync();
        var network = await NetworkSwitchAsync(page);
        await SignInAsync(page, "agent1008");

        var frames = DashboardFixture.Frames("answered", "9307");
        await fixture.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = Card(page, "9307", "1008");
        await Expect(card).ToHaveAttributeAsync("data-state", "ringing");

        await network.GoOfflineAsync();
        await Expect(page.Locator("#connection")).Not.ToHaveAttributeAsync("data-status", "connected");
        await fixture.SendUntilAsync(frames);
        await WaitUntilNotActiveAsync("9307");
        await Expect(card).ToHaveAttributeAsync("data-state", "ringing"); // nothing reached the page meanwhile

        network.Offline = false;
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-key^='9307'][data-state='ended']").First).ToBeAttachedAsync();
        await Expect(page.Locator(".call-card[data-key^='9307'][data-state='ringing']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task When_the_session_has_ended_the_reconnecting_dashboard_returns_to_the_sign_in_form()
    {
        var page = await OpenAsync();
        var network = await NetworkSwitchAsync(page);
        await SignInAsync(page, "agent1008");

        await page.Context.ClearCookiesAsync();
        await network.GoOfflineAsync();
        network.Offline = false;

        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync("نشست شما به پایان رسید؛ لطفاً دوباره وارد شوید.");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_signing_out_returns_to_the_form()
    {
        var page = await OpenAsync();
        await page.GetByLabel("نام کاربری").FillAsync("supervisor");
        await page.GetByLabel("گذرواژه").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود" }).ClickAsync();
        await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync("نام کاربری یا گذرواژه درست نیست.");
        await ScreenshotAsync(page, "dashboard-sign-in.png");

        await page.GetByLabel("گذرواژه").FillAsync(GatewayApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected");
        await Expect(page.Locator("#agent-extensions")).ToHaveTextAsync("همه داخلی‌ها");
        await Expect(page.Locator("#empty")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "dashboard-idle.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "خروج" }).ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync("از حساب خود خارج شدید.");
        Assert.Equal(401, (await page.APIRequest.GetAsync("/api/auth/me")).Status);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_form_and_say_how_long_to_wait()
    {
        var page = await OpenAsync();
        await page.GetByLabel("نام کاربری").FillAsync("nobody");
        var signIn = page.GetByRole(AriaRole.Button, new() { Name = "ورود" });
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GetByLabel("گذرواژه").FillAsync($"wrong-{attempt}");
            await signIn.ClickAsync();
            await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync("نام کاربری یا گذرواژه درست نیست.");
            await Expect(signIn).ToBeEnabledAsync();
        }

        await page.GetByLabel("گذرواژه").FillAsync("wrong-6");
        await signIn.ClickAsync();
        await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync(new Regex("^تلاش‌های ناموفق زیاد بود. [۰-۹]+ ثانیه دیگر دوباره امتحان کنید.$"));
        await Expect(signIn).ToBeDisabledAsync();
    }

    private async Task<IPage> OpenAsync(int width = 1280, int height = 860)
    {
        var page = await fixture.NewWindowAsync(width, height);
        _windows.Add(page.Context);
        // Uncaught exceptions and blocked scripts or styles fail the test (failed requests, such as the
        // 401 of /api/auth/me before sign-in, are expected and not counted).
        page.PageError += (_, error) => { lock (_scriptErrors) { _scriptErrors.Add(error); } };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (_scriptErrors) { _scriptErrors.Add(message.Text); }
            }
        };
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>
    /// The hub's traffic through a switch the test can open: going offline closes the open sockets,
    /// and new connections fail until it is back on.
    /// </summary>
    private static async Task<NetworkSwitch> NetworkSwitchAsync(IPage page)
    {
        var network = new NetworkSwitch();
        await page.RouteWebSocketAsync(new Regex("/hubs/calls"), socket =>
        {
            if (network.Offline)
            {
                _ = socket.CloseAsync();
                return;
            }
            socket.ConnectToServer();
            lock (network.Sockets) { network.Sockets.Add(socket); }
        });
        await page.RouteAsync(new Regex("/hubs/calls/negotiate"), route => network.Offline ? route.AbortAsync() : route.ContinueAsync());
        return network;
    }

    private sealed class NetworkSwitch
    {
        public volatile bool Offline;

        public List<IWebSocketRoute> Sockets { get; } = [];

        public async Task GoOfflineAsync()
        {
            Offline = true;
            IWebSocketRoute[] open;
            lock (Sockets) { open = [.. Sockets]; Sockets.Clear(); }
            foreach (var socket in open)
            {
                await socket.CloseAsync(new() { Code = 4000, Reason = "network drop" });
            }
        }
    }

    private static ILocator Card(IPage page, string prefix, string extension) =>
        page.Locator($".call-card[data-key^='{prefix}'][data-extension='{extension}']");

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GetByLabel("نام کاربری").FillAsync(username);
        await page.GetByLabel("گذرواژه").FillAsync(GatewayApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected");
    }

    private async Task WaitUntilNotActiveAsync(string prefix)
    {
        var client = fixture.App.CreateKeyClient();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetFromJsonAsync<CustomerCallDataDto[]>("/api/calls/active"))!.Any(d => d.Call!.Id.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the call is still active");
            await Task.Delay(50);
        }
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(DashboardFixture.ScreenshotDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>«۲۹ آبان ۱۴۰۵»: the day in Tehran, in the Persian calendar, with Persian digits.</summary>
    private static string JalaliDate(DateTimeOffset instant)
    {
        string[] months = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
        var day = TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran")).DateTime;
        var calendar = new PersianCalendar();
        var text = $"{calendar.GetDayOfMonth(day)} {months[calendar.GetMonth(day) - 1]} {calendar.GetYear(day)}";
        return string.Concat(text.Select(c => char.IsAsciiDigit(c) ? (char)('۰' + (c - '0')) : c));
    }
}
