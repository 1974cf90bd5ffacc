using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace CallerIdGateway.IntegrationTests.Scaling;

/// <summary>Redis away: the instance starts and serves on its own, says so in its health, and shares again once Redis is back.</summary>
public class RedisOutageTests
{
    [Fact]
    public async Task An_instance_starts_and_signs_agents_in_without_redis_says_degraded_and_stores_its_cookie_key_once_redis_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        redis.Kill();
        var home = Directory.CreateTempSubdirectory("callerid-scaling-outage-").FullName;
        try
        {
            await using var gateway = await RunningGateway.StartAsync(new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["Database:Provider"] = "Sqlite",
                ["ConnectionStrings:Gateway"] = $"Data Source={Path.Combine(home, "gateway.db")}",
                ["Gateway:CallLogJournal"] = Path.Combine(home, "calls.jsonl"),
                ["Scaling:InstanceName"] = "alone",
                ["Scaling:Redis:Configuration"] = redis.Configuration + ",connectRetry=1,connectTimeout=1000",
                ["Auth:Users:0:Username"] = "agent1008",
                ["Auth:Users:0:PasswordHash"] = new Microsoft.AspNetCore.Identity.PasswordHasher<CallerIdGateway.Auth.AgentUser>().HashPassword(new(), "agent-pass"),
                ["Auth:Users:0:Extensions:0"] = "1008",
            });
            Assert.Equal("Degraded", await TwoInstances.HealthOfAsync(gateway, "scaling"));
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
            using var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "agent1008", password = "agent-pass" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            using var report = await client.PostAsync("/api/dialplan/calls/ringing", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["call"] = "1732412345.80", ["leg"] = "1732412345.81", ["channel"] = "PJSIP/1008-00000080",
            }));
            Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);

            await redis.RestartAsync();
            await using var direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await TwoInstances.HealthOfAsync(gateway, "scaling") != "Healthy"
                || await direct.GetDatabase().ListLengthAsync("callerid-gateway:data-protection-keys") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"not shared again within 60 s:\n{gateway.Output}");
                await Task.Delay(100);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
