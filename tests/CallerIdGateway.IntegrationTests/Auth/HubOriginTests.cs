using System.Net;
using System.Net.WebSockets;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Auth;

public sealed class CorsGatewayFixture : SqliteGatewayFixture
{
    public const string InvoicingApp = "https://invoice.example";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:CorsOrigins:0"] = InvoicingApp };
}

/// <summary>
/// A page of another origin (a PBX's web UI on another port of the same host, say) must not open the
/// hub with the agent's cookie, which the browser sends along: CORS does not cover WebSockets.
/// </summary>
public class HubOriginTests(CorsGatewayFixture fixture) : IClassFixture<CorsGatewayFixture>
{
    private GatewayApp App => fixture.App;

    private string OwnOrigin => App.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task A_page_of_another_origin_cannot_open_the_hub_with_the_agents_cookie()
    {
        var session = await AgentSession.SignInAsync(App, "agent1008");
        var foreign = $"http://127.0.0.1:{App.BaseAddress.Port + 1}";

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(session, foreign));
        Assert.Equal(HttpStatusCode.Forbidden, await OpenWebSocketAsync(session, foreign));
    }

    [Fact]
    public async Task The_dashboards_own_origin_and_the_configured_origins_open_the_hub()
    {
        var session = await AgentSession.SignInAsync(App, "agent1008");

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(session, OwnOrigin));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenWebSocketAsync(session, OwnOrigin));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(session, CorsGatewayFixture.InvoicingApp));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenWebSocketAsync(session, CorsGatewayFixture.InvoicingApp));
    }

    [Fact]
    public async Task A_client_that_is_not_a_browser_sends_no_origin_and_connects_with_its_api_key()
    {
        await using var hub = App.CreateHubConnection(GatewayApp.ApiKey1008);
        await hub.StartAsync();

        Assert.Equal(["1008"], await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" }));
    }

    private async Task<HttpStatusCode> NegotiateAsync(AgentSession session, string origin)
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = App.BaseAddress });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/calls/negotiate?negotiateVersion=1");
        request.Headers.Add("Cookie", session.Cookie);
        request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>What a browser sends to open the hub's WebSocket directly: the cookie and its page's Origin.</summary>
    private async Task<HttpStatusCode> OpenWebSocketAsync(AgentSession session, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", session.Cookie);
        socket.Options.SetRequestHeader("Origin", origin);
        var url = new UriBuilder(new Uri(App.BaseAddress, "/hubs/calls")) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused: the status is in HttpStatusCode.
        }
        return socket.HttpStatusCode;
    }
}
