using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.Playwright;

namespace CallerIdGateway.IntegrationTests.Dashboard;

/// <summary>
/// The gateway on a real Kestrel with the demo data in a real database, the test ARI server
/// replaying the real captures, and Debian's Chromium driven by Playwright (never a downloaded
/// browser). Each test opens its own browser context: its own cookies and localStorage.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ProfileUrlTemplate = "https://invoice.example/customers/{id}";

    public const string NewCustomerUrlTemplate = "https://invoice.example/customers/new?phone={number}";

    private IPlaywright? _playwright;

    public TestAriServer Ari { get; } = new();

    public GatewayApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots go to TestResults/ under the test run's working directory.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(Directory.GetCurrentDirectory(), "TestResults")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The dashboard tests drive Debian's Chromium at {ChromiumPath}: apt-get install chromium");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        await Ari.StartAsync();
        var settings = GatewayApp.FollowingAri(Ari);
        settings["Dashboard:CustomerProfileUrlTemplate"] = ProfileUrlTemplate;
        settings["Dashboard:NewCustomerUrlTemplate"] = NewCustomerUrlTemplate;
        App = await GatewayApp.OnMySqlAsync(settings);
        App.Start().Dispose();
        await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser window (own cookies and storage), as an agent in Tehran would have it; not navigated yet.</summary>
    public async Task<IPage> NewWindowAsync(int width = 1280, int height = 860)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "fa-IR",
            TimezoneId = "Asia/Tehran",
            ColorScheme = ColorScheme.Light,
        });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A captured scenario with fresh channel ids (the tracker remembers ended calls, as a PBX never
    /// reuses ids), optionally with the caller's number replaced.
    /// </summary>
    public static Queue<string> Frames(string scenario, string prefix, string? callerNumber = null) =>
        new(AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, scenario, prefix).Select(frame =>
            callerNumber is null ? frame : frame.Replace("\"number\":\"12345678\"", $"\"number\":\"{callerNumber}\"", StringComparison.Ordinal)));

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
        Assert.Null(marker); // the marker was never sent: the capture is not what the test thinks
    }

    /// <summary>Sends frames up to and including the first that contains every one of <paramref name="markers"/>.</summary>
    public async Task SendUntilFrameWithAsync(Queue<string> frames, params string[] markers)
    {
        await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        while (frames.TryDequeue(out var frame))
        {
            await Ari.SendFrameAsync(frame);
            if (markers.All(marker => frame.Contains(marker, StringComparison.Ordinal)))
            {
                return;
            }
        }
        Assert.Fail("no frame has " + string.Join(" and ", markers));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await Ari.DisposeAsync();
    }
}
