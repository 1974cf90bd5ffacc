using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>
/// Behind a TLS proxy (Hosting:ForwardedHeaders): the proxy's X-Forwarded-Proto and X-Forwarded-For
/// count, so the cookie is Secure and throttling and the hooks see the client; from any other peer
/// those headers are ignored. Here the tests' own 127.0.0.1 is the proxy, or is not.
/// </summary>
public class ForwardedHeadersTests
{
    [Fact]
    public async Task Through_a_configured_proxy_the_cookie_is_secure_and_the_client_address_is_the_forwarded_one()
    {
        await using var behindProxy = Started("Hosting:ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        var signIn = await SendAsync(behindProxy, SignIn("agent1008", GatewayApp.Password), "203.0.113.20");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("secure", signIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        await GuessUntilLockedAsync(behindProxy, "203.0.113.21");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(behindProxy, SignIn("agent1009", "wrong-password"), "203.0.113.22")).StatusCode);

        var hook = new HttpRequestMessage(HttpMethod.Get, "/api/dialplan/caller-name?number=09123456789");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(behindProxy, hook, "203.0.113.23")).StatusCode);
    }

    [Fact]
    public async Task From_a_peer_that_is_not_a_configured_proxy_the_forwarded_headers_are_ignored()
    {
        await using var notBehindProxy = Started("Hosting:ForwardedHeaders:KnownNetworks:0", "10.9.9.0/24");
        var signIn = await SendAsync(notBehindProxy, SignIn("agent1008", GatewayApp.Password), "203.0.113.20");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.DoesNotContain("secure", signIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);

        // Locked out as 127.0.0.1, whatever address the request claims next.
        await GuessUntilLockedAsync(notBehindProxy, "203.0.113.21");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(notBehindProxy, SignIn("agent1009", "wrong-password"), "203.0.113.22")).StatusCode);

        var hook = new HttpRequestMessage(HttpMethod.Get, "/api/dialplan/caller-name?number=09123456789");
        Assert.NotEqual(HttpStatusCode.Forbidden, (await SendAsync(notBehindProxy, hook, "203.0.113.23")).StatusCode);
    }

    private static GatewayApp Started(string key, string value)
    {
        var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { [key] = value });
        app.Start().Dispose();
        return app;
    }

    private static async Task GuessUntilLockedAsync(GatewayApp app, string address)
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, SignIn("agent1009", "wrong-password"), address)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(app, SignIn("agent1009", "wrong-password"), address)).StatusCode);
    }

    private static HttpRequestMessage SignIn(string username, string password) =>
        new(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username, password }) };

    /// <summary>Sends the request as a TLS proxy would pass it on: the client's address and https.</summary>
    private static async Task<HttpResponseMessage> SendAsync(GatewayApp app, HttpRequestMessage request, string clientAddress)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = app.BaseAddress });
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await client.SendAsync(request);
    }
}
