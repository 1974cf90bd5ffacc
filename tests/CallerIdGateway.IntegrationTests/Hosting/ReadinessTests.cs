using System.Net;
using System.Text.Json;
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
        Assert.Equal("Healthy", (await WaitForAsync(client, r => r.Status == "Healthy")).Status);

        await ari.StopAsync();

        var away = await WaitForAsync(client, r => r.Status == "Degraded");
        Assert.Equal(HttpStatusCode.OK, away.Code);
        Assert.Equal("Degraded", away.Status);
    }

    [Fact]
    public async Task Ready_is_healthy_with_no_source_enabled()
    {
        await using var app = GatewayApp.OnSqlite();
        using var client = app.Start();

        var report = await HealthReport.GetAsync(client, "/health/ready");

        Assert.Equal("Healthy", report.Status);
        Assert.Equal("ARI is off (Asterisk:Ari:Enabled is false).", report.Entry("ari").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Live_answers_the_health_JSON_without_asking_anything()
    {
        await using var app = GatewayApp.OnSqlite();
        using var client = app.Start();

        var report = await HealthReport.GetAsync(client, "/health/live");

        Assert.Equal(HttpStatusCode.OK, report.Code);
        Assert.Equal("Healthy", report.Status);
        Assert.Empty(report.Json.GetProperty("entries").EnumerateObject());
        Assert.True(report.Json.TryGetProperty("totalDuration", out _), report.Json.ToString());
    }

    internal static async Task<HealthReport> WaitForAsync(HttpClient client, Func<HealthReport, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HealthReport report;
        do
        {
            report = await HealthReport.GetAsync(client, "/health/ready");
            if (condition(report))
            {
                break;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return report;
    }
}

/// <summary>One answer of a health endpoint: the status code and the JSON.</summary>
internal sealed record HealthReport(HttpStatusCode Code, JsonElement Json)
{
    public string Status => Json.GetProperty("status").GetString()!;

    public JsonElement Entry(string name) => Json.GetProperty("entries").GetProperty(name);

    public string Data(string entry, string key) => Entry(entry).GetProperty("data").GetProperty(key).ToString();

    public static async Task<HealthReport> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new HealthReport(response.StatusCode, document.RootElement.Clone());
    }
}
