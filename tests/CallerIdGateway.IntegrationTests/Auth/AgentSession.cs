using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>A signed-in agent's cookie as an attacker who copied it would hold it: sent by hand, never cleared.</summary>
internal sealed record AgentSession(GatewayApp App, string Cookie)
{
    public static async Task<AgentSession> SignInAsync(GatewayApp app, string username, string password = GatewayApp.Password, string? forwardedFor = null)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = app.BaseAddress });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username, password }) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("callerid.session="));
        return new AgentSession(app, setCookie.Split(';')[0]);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path)
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = App.BaseAddress });
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", Cookie);
        return await client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>A hub connection on this cookie, started, without automatic reconnects; <paramref name="closed"/> completes when the server ends it.</summary>
    public async Task<HubConnection> ConnectHubAsync(TaskCompletionSource closed)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(App.BaseAddress, "/hubs/calls"), o => o.Headers["Cookie"] = Cookie)
            .Build();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        return connection;
    }
}
