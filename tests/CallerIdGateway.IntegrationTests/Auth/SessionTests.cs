using System.Net;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>A session ends for good: at sign-out, and when the agent's configuration entry goes or changes.</summary>
public class SessionTests(SqliteGatewayFixture fixture) : IClassFixture<SqliteGatewayFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private GatewayApp App => fixture.App;

    [Fact]
    public async Task Signing_out_ends_the_session_for_a_copied_cookie_and_closes_its_hub_connection()
    {
        var session = await AgentSession.SignInAsync(App, "agent1008");
        var closed = new TaskCompletionSource();
        await using var hub = await session.ConnectHubAsync(closed);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await session.SendAsync(HttpMethod.Post, "/api/auth/logout")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/calls/active")).StatusCode);
        await closed.Task.WaitAsync(Soon);
        // Another session of the same agent goes on.
        var other = await AgentSession.SignInAsync(App, "agent1008");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/calls/active")).StatusCode);
    }

    [Fact]
    public async Task An_agent_removed_from_the_configuration_loses_the_api_and_the_hub_at_once()
    {
        var session = await AgentSession.SignInAsync(App, "supervisor");
        var closed = new TaskCompletionSource();
        await using var hub = await session.ConnectHubAsync(closed);
        try
        {
            LiveConfiguration.Set(App, new Dictionary<string, string?> { ["Auth:Users:2:Username"] = "supervisor-who-left" });

            await closed.Task.WaitAsync(Soon);
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/calls/active")).StatusCode);
        }
        finally
        {
            LiveConfiguration.Set(App, new Dictionary<string, string?> { ["Auth:Users:2:Username"] = "supervisor" });
        }
    }

    [Theory]
    [InlineData("Auth:Users:1:PasswordHash")]
    [InlineData("Auth:Users:1:Extensions:0")]
    public async Task A_changed_password_or_extension_ends_the_agents_sessions(string key)
    {
        var session = await AgentSession.SignInAsync(App, "agent1009");
        var closed = new TaskCompletionSource();
        await using var hub = await session.ConnectHubAsync(closed);
        var changed = key.EndsWith("PasswordHash")
            ? new PasswordHasher<CallerIdGateway.Auth.AgentUser>().HashPassword(new(), "a-new-password")
            : "1010";
        var original = App.Get<Microsoft.Extensions.Configuration.IConfiguration>()[key];
        try
        {
            LiveConfiguration.Set(App, new Dictionary<string, string?> { [key] = changed });

            await closed.Task.WaitAsync(Soon);
            Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me")).StatusCode);
        }
        finally
        {
            LiveConfiguration.Set(App, new Dictionary<string, string?> { [key] = original });
        }
        // Other agents were not touched.
        var other = await AgentSession.SignInAsync(App, "agent1008");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_unchanged_reload_keeps_sessions()
    {
        var session = await AgentSession.SignInAsync(App, "agent1008");
        var closed = new TaskCompletionSource();
        await using var hub = await session.ConnectHubAsync(closed);

        LiveConfiguration.Set(App, new Dictionary<string, string?> { ["Auth:Users:0:DisplayName"] = "کارشناس ۱۰۰۸" });

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, hub.State);
        Assert.False(closed.Task.IsCompleted);
    }
}
