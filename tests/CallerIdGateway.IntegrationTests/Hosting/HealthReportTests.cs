using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary>What <c>/health/ready</c> says about each link, so an administrator can tell why no card popped.</summary>
public class HealthReportTests
{
    [Fact]
    public async Task ARI_entry_says_connected_then_authentication_failed_with_the_reason_then_reconnecting_while_away()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var settings = GatewayApp.FollowingAri(ari);
        settings["Asterisk:Ari:Reconnect:AuthFailureDelay"] = "00:00:00.200";
        await using var app = GatewayApp.OnSqlite(settings);
        using var client = app.Start();
        await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));

        var connected = await ReadinessTests.WaitForAsync(client, r => r.Data("ari", "state") == "connected");
        Assert.Equal("Healthy", connected.Entry("ari").GetProperty("status").GetString());
        Assert.NotEqual("never", connected.Data("ari", "connectedSince"));
        Assert.Contains(ari.BaseUrl.ToString(), connected.Entry("ari").GetProperty("description").GetString());
        Assert.Equal("Healthy", connected.Entry("database").GetProperty("status").GetString());
        Assert.True(connected.Entry("database").GetProperty("data").GetProperty("latencyMs").GetDecimal() >= 0);
        Assert.Equal("Healthy", connected.Entry("phoneIndex").GetProperty("status").GetString());
        Assert.NotEqual("never", connected.Data("phoneIndex", "lastSynchronizedAt"));

        ari.RefuseAuth = true;
        await ari.DropClientsAsync();
        var refused = await ReadinessTests.WaitForAsync(client, r => r.Data("ari", "state") == "authenticationFailed");
        Assert.Equal("Degraded", refused.Entry("ari").GetProperty("status").GetString());
        Assert.Contains("HTTP 401", refused.Data("ari", "lastError"));
        Assert.Contains("authentication failed", refused.Entry("ari").GetProperty("description").GetString());
        Assert.DoesNotContain(ari.Password, refused.Json.ToString());

        ari.RefuseAuth = false;
        await ari.StopAsync();
        var away = await ReadinessTests.WaitForAsync(client, r => r.Data("ari", "state") == "reconnecting");
        Assert.Equal("Degraded", away.Status);
        Assert.Equal("reconnecting", away.Data("ari", "state"));
        Assert.Equal("never", away.Data("ari", "connectedSince"));
    }

    [Fact]
    public async Task AMI_entry_says_authentication_failed_with_a_wrong_secret_and_connected_with_the_right_one()
    {
        await using var ami = await TestAmiServer.StartNewAsync();
        await using var wrong = GatewayApp.OnSqlite(FollowingAmi(ami, "not-the-secret"));
        using (var client = wrong.Start())
        {
            var refused = await ReadinessTests.WaitForAsync(client, r => r.Data("ami", "state") == "authenticationFailed");

            Assert.Equal("Degraded", refused.Entry("ami").GetProperty("status").GetString());
            Assert.Contains("Authentication failed", refused.Data("ami", "lastError"));
            Assert.Contains($"127.0.0.1:{ami.Port} as gateway", refused.Data("ami", "target"));
            Assert.DoesNotContain("not-the-secret", refused.Json.ToString());
        }

        await using var right = GatewayApp.OnSqlite(FollowingAmi(ami, ami.Secret));
        using (var client = right.Start())
        {
            var connected = await ReadinessTests.WaitForAsync(client, r => r.Data("ami", "state") == "connected");
            Assert.Equal("Healthy", connected.Status);

            await ami.StopAsync();
            var away = await ReadinessTests.WaitForAsync(client, r => r.Data("ami", "state") == "reconnecting");
            Assert.Equal("Degraded", away.Entry("ami").GetProperty("status").GetString());
            Assert.NotEqual("never", away.Data("ami", "lastErrorAt"));
        }
    }

    private static Dictionary<string, string?> FollowingAmi(TestAmiServer ami, string secret) => new()
    {
        ["Asterisk:Ami:Enabled"] = "true",
        ["Asterisk:Ami:Port"] = ami.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Asterisk:Ami:Username"] = ami.Username,
        ["Asterisk:Ami:Secret"] = secret,
        ["Asterisk:Ami:Reconnect:InitialDelay"] = "00:00:00.050",
        ["Asterisk:Ami:Reconnect:MaxDelay"] = "00:00:00.300",
        ["Asterisk:Ami:Reconnect:AuthFailureDelay"] = "00:00:00.200",
    };
}
