using System.Text.Json;
using System.Text.RegularExpressions;
using CallerIdGateway.IntegrationTests.Dashboard;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Phone;

/// <summary>
/// The dashboard's browser phone in a real Chromium, registered with a real Kamailio over
/// WebSocket; a second page (JsSIP from the same bundle) is the customer, registered as the
/// customer's number, and calls it through Kamailio while the test ARI server replays the same call
/// to the gateway. Kamailio and Chromium run in a network namespace of the test's own with only
/// <c>lo</c> (<see cref="PhoneNetwork"/>): media can reach nothing but 127.0.0.1.
/// </summary>
public sealed partial class BrowserPhoneTests(BrowserPhoneTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<BrowserPhoneTests.Fixture>, IAsyncLifetime
{
    /// <summary>The captured caller (12345678, a Tehran landline) as the gateway dials it back.</summary>
    private const string Customer = "02112345678";
    private const string CustomerPassword = "secret-customer";
    private readonly List<IBrowserContext> _windows = [];
    private readonly List<string> _scriptErrors = [];

    static BrowserPhoneTests() => SetDefaultExpectTimeout(15_000);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var window in _windows)
        {
            await window.CloseAsync();
        }
        output.WriteLine($"Kamailio: {fixture.Network.KamailioLog}");
        Assert.Empty(_scriptErrors);
    }

    [Fact]
    public async Task A_call_with_the_PBX_header_rings_on_its_card_is_answered_with_audio_both_ways_hung_up_and_called_back_from_the_recent_list()
    {
        var agent = await OpenAgentAsync("agent1008");
        var frames = DashboardFixture.Frames("answered", "9501");
        await fixture.Gateway.SendUntilAsync(frames, "\"dialstatus\":\"RINGING\"");
        var card = agent.Locator(".call-card[data-key^='9501'][data-extension='1008']");
        await Expect(card).ToHaveAttributeAsync("data-state", "ringing");
        var callId = (await card.GetAttributeAsync("data-call-id"))!;

        var customer = await OpenCustomerAsync();
        await customer.EvaluateAsync("header => window.customer.call('1008', header)", callId);

        await Expect(card).ToHaveAttributeAsync("data-phone", "ringing");
        await Expect(agent.Locator("#phone-calls > *")).ToHaveCountAsync(0); // on the card, not beside it
        var answer = card.GetByRole(AriaRole.Button, new() { Name = "پاسخ" });
        await Expect(answer).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "رد تماس" })).ToBeVisibleAsync();
        await ScreenshotAsync(agent, "browser-phone-ringing.png");

        await answer.ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-phone", "answered");
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('confirmed')");
        await WaitForAudioAsync(agent, "agent");
        await WaitForAudioAsync(customer, "customer");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "قطع تماس" })).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "بی‌صدا" })).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "انتظار" })).ToBeVisibleAsync();
        await Expect(card.Locator(".keypad .key")).ToHaveCountAsync(12);
        await fixture.Gateway.SendUntilAsync(frames, "\"dialstatus\":\"ANSWER\"");
        await Expect(card).ToHaveAttributeAsync("data-state", "answered");
        await Expect(card.Locator(".phone-timer .timer-value")).ToHaveTextAsync(new Regex("^۰۰:[۰-۵][۰-۹]$"));
        await ScreenshotAsync(agent, "browser-phone-in-call.png");

        await card.GetByRole(AriaRole.Button, new() { Name = "قطع تماس" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('ended:remote')");
        await Expect(card).ToHaveAttributeAsync("data-phone", "ended");
        await fixture.Gateway.SendUntilAsync(frames);

        // The call is in the recent list now: one click on its number calls the customer back.
        var recent = agent.Locator($"#recent-list .recent-item[data-key='{callId}|1008']");
        await recent.GetByRole(AriaRole.Button, new() { Name = "تماس با ۰۲۱ ۱۲۳۴ ۵۶۷۸" }).ClickAsync();
        await customer.WaitForFunctionAsync($"() => window.customer.events.includes('incoming:1008')");
        var outgoing = agent.Locator("#phone-calls .call-card");
        await Expect(outgoing).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(outgoing.Locator(".phone-note")).ToContainTextAsync("در حال شماره‌گیری");
        await outgoing.GetByRole(AriaRole.Button, new() { Name = "قطع تماس" }).ClickAsync();
        await customer.WaitForFunctionAsync("() => window.customer.events.includes('incoming-failed:Canceled')");
        await Expect(outgoing).ToHaveAttributeAsync("data-state", "ended");
        await Expect(outgoing.Locator(".phone-error")).ToHaveCountAsync(0); // the agent's own choice is no error
    }

    [Fact]
    public async Task A_declined_call_reaches_the_caller_as_a_rejection()
    {
        var agent = await OpenAgentAsync("agent1008");
        var customer = await OpenCustomerAsync();
        await customer.EvaluateAsync("() => window.customer.call('1008', null)");

        // No card of the gateway's for this call (no header, no ringing card of that number): the phone shows one of its own.
        var phoneCard = agent.Locator("#phone-calls .call-card");
        await Expect(phoneCard).ToHaveAttributeAsync("data-state", "ringing");
        await phoneCard.GetByRole(AriaRole.Button, new() { Name = "رد تماس" }).ClickAsync();

        await customer.WaitForFunctionAsync("() => window.customer.events.includes('failed:Rejected')");
        await Expect(phoneCard).ToHaveAttributeAsync("data-state", "ended");
        await Expect(phoneCard.Locator(".phone-error")).ToHaveCountAsync(0); // the agent's own choice is no error
    }

    [Fact]
    public async Task A_wrong_SIP_password_shows_the_registration_error_in_Persian_and_English()
    {
        var agent = await OpenAsync();
        await SignInAsync(agent, "agent1009");
        var state = agent.Locator("#phone-state");
        await Expect(state).ToHaveAttributeAsync("data-status", "failed");
        await Expect(state).ToContainTextAsync("سرور تلفن ثبت را نپذیرفت: نام کاربری یا گذرواژه SIP درست نیست.");
        await agent.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(state).ToContainTextAsync("The phone server refused the registration: wrong SIP user name or password.");
    }

    [Fact]
    public async Task A_SIP_user_the_server_refuses_shows_the_refusal_with_its_status()
    {
        var supervisor = await OpenAsync();
        await SignInAsync(supervisor, "supervisor");
        var state = supervisor.Locator("#phone-state");
        await Expect(state).ToHaveAttributeAsync("data-status", "failed");
        await Expect(state).ToContainTextAsync("سرور تلفن ثبت را نپذیرفت (403 Forbidden)؛ آیا این داخلی برای WebRTC تنظیم شده است؟");
        await supervisor.Locator("#dashboard .language-toggle").ClickAsync();
        await Expect(state).ToContainTextAsync("The phone server refused the registration (403 Forbidden); is this extension set up for WebRTC?");
    }

    private async Task<IPage> OpenAgentAsync(string username, IBrowser? browser = null, bool grantMicrophone = true)
    {
        var page = await OpenAsync(browser, grantMicrophone);
        await SignInAsync(page, username);
        await Expect(page.Locator("#phone-state")).ToHaveAttributeAsync("data-status", "registered");
        await Expect(page.Locator("#phone-state")).ToHaveTextAsync("تلفن آماده");
        return page;
    }

    /// <summary>The customer's SIP phone in a page of its own (JsSIP from the dashboard's bundle), registered as <see cref="Customer"/>.</summary>
    private async Task<IPage> OpenCustomerAsync()
    {
        // The dashboard's own page, not signed in, for its JsSIP bundle and its CSP that allows the phone's WebSocket.
        var page = await OpenAsync();
        await page.WaitForFunctionAsync("() => window.JsSIP");
        await page.EvaluateAsync("""
            async ([url, user, password]) => {
              const ua = new JsSIP.UA({ sockets: [new JsSIP.WebSocketInterface(url)], uri: `sip:${user}@127.0.0.1`, password, register: true, session_timers: false });
              const events = [];
              let incoming = null;
              ua.on('newRTCSession', ({ originator, session, request }) => {
                if (originator !== 'remote') return;
                incoming = session;
                events.push(`incoming:${request.from.uri.user}`);
                session.on('failed', e => events.push(`incoming-failed:${e.cause}`));
                session.on('ended', e => events.push(`incoming-ended:${e.originator}`));
              });
              window.customer = {
                events,
                refuse(code, reason) { incoming.terminate({ status_code: code, reason_phrase: reason }); },
                // relayOnly: no candidate of its own (and no TURN server), so ICE can never connect.
                call(user, header, relayOnly = false) {
                  const session = ua.call(`sip:${user}@127.0.0.1`, {
                    mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [], iceTransportPolicy: relayOnly ? 'relay' : 'all' },
                    extraHeaders: header ? [`X-CallerId-Call: ${header}`] : [],
                  });
                  session.on('confirmed', () => events.push('confirmed'));
                  session.on('ended', e => events.push(`ended:${e.originator}`));
                  session.on('failed', e => events.push(`failed:${e.cause}`));
                },
              };
              await new Promise((resolve, reject) => {
                ua.on('registered', resolve);
                ua.on('registrationFailed', e => reject(new Error(`customer: ${e.cause}`)));
                setTimeout(() => reject(new Error('customer: not registered within 15 s')), 15000);
                ua.start();
              });
            }
            """, new object[] { PhoneNetwork.WebSocketUrl, Customer, CustomerPassword });
        return page;
    }

    /// <summary>Every RTCPeerConnection of the page is connected, over loopback, and has received audio.</summary>
    private async Task WaitForAudioAsync(IPage page, string who)
    {
        var handle = await page.WaitForFunctionAsync("""
            async () => {
              const pcs = window.__peerConnections ?? [];
              if (pcs.length === 0 || pcs.some(pc => pc.connectionState !== 'connected')) return false;
              let bytes = 0, pair = null;
              const stats = await pcs[pcs.length - 1].getStats();
              stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived; });
              stats.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
              if (bytes === 0 || !pair) return false;
              return { bytes, local: stats.get(pair.localCandidateId).address, remote: stats.get(pair.remoteCandidateId).address };
            }
            """, null, new() { PollingInterval = 200 });
        var result = await handle.JsonValueAsync<JsonElement>();
        output.WriteLine($"{who}: {result}");
        // The namespace has nothing but lo: any other address would mean Chromium is not in it.
        Assert.Contains(result.GetProperty("local").GetString(), new[] { "127.0.0.1", "::1" });
        Assert.Contains(result.GetProperty("remote").GetString(), new[] { "127.0.0.1", "::1" });
    }

    private async Task<IPage> OpenAsync(IBrowser? browser = null, bool grantMicrophone = true)
    {
        var context = await (browser ?? fixture.Browser).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Gateway.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
            Locale = "fa-IR",
            TimezoneId = "Asia/Tehran",
            ColorScheme = ColorScheme.Light,
            Permissions = grantMicrophone ? ["microphone"] : [],
        });
        _windows.Add(context);
        // Remember the page's peer connections, for the audio check.
        await context.AddInitScriptAsync("""
            (() => {
              const Native = window.RTCPeerConnection;
              window.__peerConnections = [];
              window.RTCPeerConnection = function (...args) {
                const pc = new Native(...args);
                window.__peerConnections.push(pc);
                return pc;
              };
              window.RTCPeerConnection.prototype = Native.prototype;
            })();
            """);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => { lock (_scriptErrors) { _scriptErrors.Add(error); } };
        await page.GotoAsync("/");
        return page;
    }

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GetByLabel("نام کاربری").FillAsync(username);
        await page.GetByLabel("گذرواژه").FillAsync(GatewayApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected");
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(DashboardFixture.ScreenshotDirectory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"screenshot: {path}");
    }

    /// <summary>
    /// The namespace with Kamailio, then the gateway (on the host, following the test ARI server,
    /// with agent1008's phone account, a wrong password for agent1009 and a SIP user Kamailio does
    /// not know for the supervisor) bridged into it, and
    /// Chromium inside it.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private IPlaywright? _playwright;

        public PhoneNetwork Network { get; private set; } = null!;

        public GatewayWithAri Gateway { get; } = new();

        public IBrowser Browser { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            if (!File.Exists(DashboardFixture.ChromiumPath))
            {
                throw new InvalidOperationException($"The browser-phone tests drive Debian's Chromium at {DashboardFixture.ChromiumPath}: apt-get install chromium");
            }
            Network = await PhoneNetwork.StartAsync(new Dictionary<string, string>
            {
                ["1008"] = "secret-1008",
                ["1009"] = "secret-1009",
                [Customer] = CustomerPassword,
            }, DashboardFixture.ChromiumPath);
            await Gateway.StartAsync(new Dictionary<string, string?>
            {
                ["Phone:WebSocketUrl"] = PhoneNetwork.WebSocketUrl,
                ["Phone:Domain"] = PhoneNetwork.Domain,
                ["Auth:Users:0:Phone:Username"] = "1008",
                ["Auth:Users:0:Phone:Password"] = "secret-1008",
                ["Auth:Users:1:Phone:Username"] = "1009",
                ["Auth:Users:1:Phone:Password"] = "not-the-password",
                ["Auth:Users:2:Phone:Username"] = "1010",
                ["Auth:Users:2:Phone:Password"] = "secret-1010",
            });
            await Network.BridgeAsync(Gateway.App.BaseAddress.Port);
            Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            _playwright = await Playwright.CreateAsync();
            Browser = await LaunchAsync(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
        }

        /// <summary>A Chromium without the fake microphone, as a machine with none has it (launched on first use).</summary>
        public async Task<IBrowser> MicrophonelessBrowserAsync() => _microphoneless ??= await LaunchAsync([]);

        /// <summary>
        /// A Chromium with the fake microphone but the real permission prompt, which nobody answers in
        /// headless mode: a page without the permission is refused (launched on first use).
        /// </summary>
        public async Task<IBrowser> PromptingBrowserAsync() => _prompting ??= await LaunchAsync(["--use-fake-device-for-media-stream"]);

        private IBrowser? _microphoneless;
        private IBrowser? _prompting;

        private Task<IBrowser> LaunchAsync(string[] media) => _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Network.ChromiumExecutable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--allow-loopback-in-peer-connection", .. media,
            ],
        });

        public async Task DisposeAsync()
        {
            try
            {
                if (Browser is not null)
                {
                    await Browser.CloseAsync();
                }
                foreach (var browser in new[] { _microphoneless, _prompting })
                {
                    if (browser is not null)
                    {
                        await browser.CloseAsync();
                    }
                }
                _playwright?.Dispose();
                await Gateway.DisposeAsync();
            }
            finally
            {
                if (Network is not null)
                {
                    await Network.DisposeAsync();
                }
            }
        }
    }

    /// <summary>The gateway on a real database following the test ARI server (as the dashboard tests have it).</summary>
    public sealed class GatewayWithAri : IAsyncDisposable
    {
        public TestAriServer Ari { get; } = new();

        public GatewayApp App { get; private set; } = null!;

        public async Task StartAsync(IDictionary<string, string?> extra)
        {
            await Ari.StartAsync();
            var settings = GatewayApp.FollowingAri(Ari);
            foreach (var (key, value) in extra)
            {
                settings[key] = value;
            }
            App = await GatewayApp.OnMySqlAsync(settings);
            App.Start().Dispose();
            await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        }

        /// <summary>Sends frames up to and including the first that contains <paramref name="marker"/> (all of them when null).</summary>
        public async Task SendUntilAsync(Queue<string> frames, string? marker = null)
        {
            await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
            while (frames.TryDequeue(out var frame))
            {
                await Ari.SendFrameAsync(frame);
                if (marker is not null && frame.Contains(marker, StringComparison.Ordinal))
                {
                    return;
                }
            }
            Assert.Null(marker);
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }
            await Ari.DisposeAsync();
        }
    }
}
