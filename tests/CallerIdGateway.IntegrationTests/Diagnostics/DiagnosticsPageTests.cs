using System.Text.RegularExpressions;
using CallerIdGateway.IntegrationTests.Dashboard;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallerIdGateway.IntegrationTests.Diagnostics;

/// <summary>
/// The supervisors' diagnostics page in a real Chromium: the doctor's checks run live against the
/// gateway's real database and the test ARI server, the last call changes per extension after a
/// replayed call, and a number explained; an agent is refused.
/// </summary>
public sealed class DiagnosticsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _windows = [];
    private readonly List<string> _scriptErrors = [];

    static DiagnosticsPageTests() => SetDefaultExpectTimeout(30_000); // the checks log in to the PBX: seconds on a loaded machine

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
    public async Task A_supervisor_sees_the_checks_the_last_events_of_an_extension_and_a_number_explained()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "supervisor");
        await fixture.SendUntilAsync(DashboardFixture.Frames("answered", "9701"));

        await page.GetByRole(AriaRole.Link, new() { Name = "عیب‌یابی" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "بررسی پیوندها" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        var database = page.Locator("#checks .diag-line", new() { HasText = "database:" }).First;
        await Expect(database).ToHaveAttributeAsync("data-outcome", "passed");
        await Expect(database.Locator(".diag-outcome")).ToHaveTextAsync("درست");
        await Expect(page.Locator("#checks .diag-line", new() { HasText = "extension 1008:" })).ToHaveAttributeAsync("data-outcome", "passed");
        await Expect(page.Locator("#checks .diag-line", new() { HasText = "ARI events:" })).ToHaveAttributeAsync("data-outcome", "passed");
        await Expect(page.Locator("#checks-summary")).ToContainTextAsync("بررسی‌شده در");

        var extension = page.Locator(".diag-extension[data-extension='1008']");
        await Expect(extension.Locator("h3")).ToHaveTextAsync("داخلی ۱۰۰۸");
        await Expect(extension.Locator("tbody tr").First).ToContainTextAsync("پایان تماس"); // newest first: the call ended
        await Expect(extension.Locator("tbody tr").First).ToContainTextAsync("found");
        await Expect(page.Locator(".diag-extension[data-extension='1009'] p")).ToHaveTextAsync("هنوز تماسی روی این داخلی دیده نشده است.");
        await Expect(page.Locator("#sources")).ToContainTextAsync(new Regex("ARI: connected — آخرین رویداد"));

        await page.GetByRole(AriaRole.Textbox, new() { Name = "شماره" }).FillAsync("۰۹۱۲۳۴۵۶۷۸۹");
        await page.GetByRole(AriaRole.Button, new() { Name = "توضیح بده" }).ClickAsync();
        var explanation = page.Locator("#explanation .diag-line");
        await Expect(explanation.First).ToContainTextAsync("normalized to +989123456789");
        await Expect(explanation.Nth(1)).ToContainTextAsync("index entry +989123456789 → customer");
        await Expect(explanation.Nth(1)).ToHaveAttributeAsync("data-outcome", "passed");

        await page.Locator(".language-toggle").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Checks" })).ToBeVisibleAsync();
        await Expect(database.Locator(".diag-outcome")).ToHaveTextAsync("OK");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "diagnostics.png"), FullPage = true });
    }

    [Fact]
    public async Task An_agent_gets_403_from_the_diagnostics_endpoints_and_the_page_says_it_is_for_supervisors()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "agent1008");
        await Expect(page.Locator("#diagnostics-link")).ToBeHiddenAsync();

        foreach (var path in new[] { "/api/diagnostics/checks", "/api/diagnostics/extensions", "/api/diagnostics/number?number=09123456789" })
        {
            var response = await page.APIRequest.GetAsync(path);
            Assert.True(response.Status == 403, $"{path}: {response.Status}");
        }

        await page.GotoAsync("/diagnostics.html");
        await Expect(page.Locator("#diag-denied")).ToHaveTextAsync("این صفحه فقط برای سرپرستان (کسانی که همه داخلی‌ها را می‌بینند) است.");
        await Expect(page.Locator("#diag-main")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Explaining_no_number_is_a_400_that_says_what_is_needed()
    {
        var page = await OpenAsync();
        await SignInAsync(page, "supervisor");

        var response = await page.APIRequest.GetAsync("/api/diagnostics/number?number=");

        Assert.Equal(400, response.Status);
        Assert.Contains("?number=", await response.TextAsync(), StringComparison.Ordinal);
    }

    private async Task<IPage> OpenAsync()
    {
        var page = await fixture.NewWindowAsync();
        _windows.Add(page.Context);
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

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GetByLabel("نام کاربری").FillAsync(username);
        await page.GetByLabel("گذرواژه").FillAsync(GatewayApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ورود" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-status", "connected");
    }
}
