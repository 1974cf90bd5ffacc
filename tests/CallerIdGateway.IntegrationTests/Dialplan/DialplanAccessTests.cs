using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>Who may call the hooks, on gateways configured for it (SQLite: nothing here needs a customer).</summary>
public class DialplanAccessTests
{
    [Fact]
    public async Task From_an_address_not_allowed_the_hooks_answer_403_with_an_empty_body_and_nothing_is_tracked()
    {
        var changes = new RecordingCallChanges();
        // The tests call from 127.0.0.1; only a documentation network (TEST-NET-1) is allowed here (which needs a secret).
        await using var app = GatewayApp.OnSqlite(new Dictionary<string, string?>
        {
            ["Dialplan:AllowedAddresses:0"] = "192.0.2.0/24",
            ["Dialplan:Secret"] = DialplanGatewayFixture.Secret,
        });
        app.TestServices = services => services.AddSingleton<ICallChangeHandler>(changes);
        app.Start().Dispose();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        using var name = await hooks.GetAsync("/api/dialplan/caller-name?number=09123456789");
        using var ringing = await hooks.GetAsync("/api/dialplan/calls/ringing?call=9.1&leg=9.2&channel=PJSIP%2F1008-00000001&number=09123456789");

        Assert.Equal(HttpStatusCode.Forbidden, name.StatusCode);
        Assert.Equal("", await name.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, ringing.StatusCode);
        // A fact posted after the refusal is applied after anything the refused request could have posted.
        var tracker = app.Get<CallTrackerService>();
        tracker.Post(new LegRinging(app.Get<TimeProvider>().GetUtcNow(), CallSource.Hook, "sentinel", "sentinel.1", "1008", LegKind.Device, "", ""));
        await changes.WaitForAsync("sentinel", CallState.Ringing);
        Assert.Empty(changes.Of("9.1"));
    }

    [Fact]
    public async Task Switched_off_the_hooks_are_not_there()
    {
        await using var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { ["Dialplan:Enabled"] = "false" });
        app.Start().Dispose();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        using var response = await hooks.GetAsync("/api/dialplan/caller-name?number=09123456789");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task By_default_this_machine_needs_no_secret_so_the_shipped_asterisk_config_works_as_written()
    {
        await using var app = GatewayApp.OnSqlite();
        app.Start().Dispose();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        // asterisk-config/extensions.conf sends its placeholder secret; with no Dialplan:Secret it is not needed.
        using var response = await hooks.GetAsync("/api/dialplan/caller-name?number=09123456789&secret=change-me-dialplan-secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("خلیلی", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Origin", "http://127.0.0.1:8080")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Mode", "no-cors")]
    public async Task A_browsers_request_is_refused_even_from_this_machine_without_a_secret(string header, string value)
    {
        var changes = new RecordingCallChanges();
        await using var app = GatewayApp.OnSqlite();
        app.TestServices = services => services.AddSingleton<ICallChangeHandler>(changes);
        app.Start().Dispose();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        // What a page open in a browser on the PBX host can send: a form post (Origin) or an image/navigation GET (Sec-Fetch-*).
        using var ringing = new HttpRequestMessage(HttpMethod.Post, "/api/dialplan/calls/ringing")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["call"] = "8.1", ["leg"] = "8.2", ["channel"] = "PJSIP/1008-00000001", ["number"] = "09123456789",
            }),
        };
        ringing.Headers.Add(header, value);
        using var refused = await hooks.SendAsync(ringing);
        using var name = new HttpRequestMessage(HttpMethod.Get, "/api/dialplan/caller-name?number=09123456789");
        name.Headers.Add(header, value);
        using var nameRefused = await hooks.SendAsync(name);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(header, (await refused.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.Forbidden, nameRefused.StatusCode);
        var tracker = app.Get<CallTrackerService>();
        tracker.Post(new LegRinging(app.Get<TimeProvider>().GetUtcNow(), CallSource.Hook, "sentinel", "sentinel.1", "1008", LegKind.Device, "", ""));
        await changes.WaitForAsync("sentinel", CallState.Ringing);
        Assert.Empty(changes.Of("8.1"));
    }

    [Theory]
    [InlineData("Dialplan:AllowedAddresses:0", "192.168.1.10", "Dialplan:Secret")]
    [InlineData("Dialplan:AllowedAddresses:0", "pbx.example", "Dialplan:AllowedAddresses")]
    [InlineData("Dialplan:Secret", "short", "Dialplan:Secret")]
    [InlineData("Dialplan:CallerNameBudget", "00:01:00", "Dialplan:CallerNameBudget")]
    [InlineData("Dialplan:FastAgi:BindAddress", "gateway", "Dialplan:FastAgi:BindAddress")]
    public async Task A_wrong_setting_stops_the_start_with_a_message_that_names_the_key(string key, string value, string named)
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });

        Hosting.ConfigurationTests.AssertStoppedNaming(named, exit);
    }
}
