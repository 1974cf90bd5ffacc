using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.Phone;

namespace CallerIdGateway.IntegrationTests.Phone;

/// <summary>GET /api/phone/settings: an agent's SIP password goes to that agent's dashboard and nowhere else.</summary>
public sealed class PhoneSettingsTests : IAsyncLifetime
{
    private readonly GatewayApp _app = GatewayApp.OnSqlite(new Dictionary<string, string?>
    {
        ["Phone:WebSocketUrl"] = "wss://pbx.example:8089/ws",
        ["Phone:Domain"] = "pbx.example",
        ["Auth:Users:0:Phone:Username"] = "1008-web",
        ["Auth:Users:0:Phone:Password"] = "sip-secret-1008",
        ["Auth:Users:1:Phone:SipUri"] = "sip:1009-web@pbx.example", // no password: configured in part
    });

    public Task InitializeAsync()
    {
        _app.Start().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_signed_in_agent_gets_their_own_account_with_the_shared_address_and_domain_and_it_is_not_cached()
    {
        using var client = _app.CreateAnonymousClient();
        (await GatewayApp.SignInAsync(client, "agent1008")).EnsureSuccessStatusCode();

        var response = await client.GetAsync("/api/phone/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new PhoneSettings("wss://pbx.example:8089/ws", "sip:1008-web@pbx.example", "1008-web", "sip-secret-1008", null),
            await response.Content.ReadFromJsonAsync<PhoneSettings>());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task An_agent_without_a_phone_gets_404_and_one_configured_in_part_gets_409_naming_what_is_missing()
    {
        using var supervisor = _app.CreateAnonymousClient();
        (await GatewayApp.SignInAsync(supervisor, "supervisor")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.GetAsync("/api/phone/settings")).StatusCode);

        using var agent1009 = _app.CreateAnonymousClient();
        (await GatewayApp.SignInAsync(agent1009, "agent1009")).EnsureSuccessStatusCode();
        var partial = await agent1009.GetAsync("/api/phone/settings");
        Assert.Equal(HttpStatusCode.Conflict, partial.StatusCode);
        Assert.Contains("Phone:Password", await partial.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task API_keys_and_anonymous_clients_get_no_SIP_credentials()
    {
        using var key = _app.CreateKeyClient();
        var byKey = await key.GetAsync("/api/phone/settings");
        Assert.Equal(HttpStatusCode.Forbidden, byKey.StatusCode);
        Assert.DoesNotContain("sip-secret", await byKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = _app.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/phone/settings")).StatusCode);
    }
}
