using System.Net;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary><c>/metrics</c>: the Prometheus text a scraper reads, after a real call replayed over ARI.</summary>
public class MetricsTests
{
    [Fact]
    public async Task After_a_replayed_call_metrics_show_its_states_its_lookup_and_the_ring_to_screen_time()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        await using var app = GatewayApp.OnSqlite(GatewayApp.FollowingAri(ari));
        using var client = app.Start();
        await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));

        await ari.ReplayAsync(AsteriskFixtures.Pjsip22, "answered");

        var text = await WaitForAsync(client, t => Sample(t, "callerid_calls_total", "state=\"ended\"") is not null);
        Assert.Equal("1", Sample(text, "callerid_calls_total", "state=\"ringing\""));
        Assert.Equal("1", Sample(text, "callerid_calls_total", "state=\"answered\""));
        Assert.Equal("1", Sample(text, "callerid_lookups_total", "result=\"found\""));
        Assert.Equal("1", Sample(text, "callerid_ring_to_screen_seconds_count", ""));
        Assert.Equal("1", Sample(text, "callerid_source_connected", "source=\"ari\""));
        Assert.NotNull(Sample(text, "callerid_pushes_total", ""));
        Assert.NotNull(Sample(text, "kestrel_active_connections", ""));
    }

    [Fact]
    public async Task An_address_that_is_not_allowed_gets_404()
    {
        await using var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { ["Metrics:AllowedAddresses:0"] = "192.0.2.7" });
        using var client = app.Start();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static string? Sample(string text, string metric, string label) => text.Split('\n')
        .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(l => l.Contains(label, StringComparison.Ordinal))
        .Select(l => l[(l.LastIndexOf(' ') + 1)..].Trim())
        .FirstOrDefault();

    private static async Task<string> WaitForAsync(HttpClient client, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        do
        {
            text = await client.GetStringAsync("/metrics");
            if (condition(text))
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return text;
    }
}
