using System.Net;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary><c>/metrics</c>: the Prometheus text a scraper reads, after a real call replayed over ARI.</summary>
public class MetricsTests
{
    [Fact]
    public async Task After_a_replayed_call_metrics_show_its_states_and_direction_its_lookup_and_the_latencies()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        await using var app = GatewayApp.OnSqlite(GatewayApp.FollowingAri(ari));
        using var client = app.Start();
        await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));

        await ari.ReplayAsync(AsteriskFixtures.Pjsip22, "answered");

        var text = await WaitForAsync(client, t => Sample(t, "callerid_calls_total", "state=\"ended\"") is not null);
        Assert.Equal("1", Sample(text, "callerid_calls_total", "direction=\"inbound\"", "state=\"ringing\""));
        Assert.Equal("1", Sample(text, "callerid_calls_total", "direction=\"inbound\"", "state=\"answered\""));
        Assert.Equal("1", Sample(text, "callerid_calls_total", "direction=\"inbound\"", "state=\"ended\""));
        Assert.Equal("1", Sample(text, "callerid_lookups_total", "result=\"found\""));
        Assert.Equal("1", Sample(text, "callerid_ring_to_screen_seconds_count", ""));
        // The caller's number was not cached: its lookup asked the database, once.
        Assert.Equal("1", Sample(text, "callerid_lookup_duration_seconds_count", "result=\"found\""));
        Assert.Equal("1", Sample(text, "callerid_lookup_duration_seconds_bucket", "result=\"found\"", "le=\"+Inf\""));
        Assert.Equal("1", Sample(text, "callerid_source_connected", "source=\"ari\""));
        Assert.Equal("1", Sample(text, "callerid_source_state", "source=\"ari\"", "state=\"connected\""));
        Assert.NotNull(Sample(text, "callerid_call_log_queue", "")); // 0 or 1: the last change may still be on its way to the database
        Assert.NotNull(Sample(text, "callerid_phone_index_sync_duration_seconds_count", ""));
        Assert.Null(Sample(text, "callerid_call_log_write_failures_total", ""));
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

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>.</summary>
    private static string? Sample(string text, string metric, params string[] labels) => text.Split('\n')
        .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
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
