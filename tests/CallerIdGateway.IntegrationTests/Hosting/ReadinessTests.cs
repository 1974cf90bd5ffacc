using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary><c>/health/ready</c>: the database and the Asterisk sources, as a load balancer or systemd sees them.</summary>
public class ReadinessTests
{
    [Fact]
    public async Task Ready_is_healthy_while_ARI_is_connected_and_degraded_while_Asterisk_is_away()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        await using var app = GatewayApp.OnSqlite(GatewayApp.FollowingAri(ari));
        using var client = app.Start();
        await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("Healthy", await WaitForStatusAsync(client, "Healthy"));

        await ari.StopAsync();

        Assert.Equal("Degraded", await WaitForStatusAsync(client, "Degraded"));
    }

    [Fact]
    public async Task Ready_is_healthy_with_no_source_enabled()
    {
        await using var app = GatewayApp.OnSqlite();
        using var client = app.Start();

        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }

    private static async Task<string> WaitForStatusAsync(HttpClient client, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string status;
        do
        {
            status = await client.GetStringAsync("/health/ready");
            if (status == expected)
            {
                break;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }
}
