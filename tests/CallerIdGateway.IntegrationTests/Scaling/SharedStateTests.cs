using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.Scaling;

/// <summary>What two instances share through a real Redis: the cookie's keys, sign-outs, dialplan hook reports.</summary>
public class SharedStateTests
{
    [Fact]
    public async Task A_cookie_from_one_instance_works_on_the_other_and_a_sign_out_on_the_other_ends_it_on_both()
    {
        await using var instances = await TwoInstances.StartAsync();
        using var a = new HttpClient { BaseAddress = instances.A.BaseAddress };
        using var b = new HttpClient { BaseAddress = instances.B.BaseAddress };
        using var login = await a.PostAsJsonAsync("/api/auth/login", new { username = "agent1008", password = TwoInstances.AgentPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("callerid.session=", StringComparison.Ordinal)).Split(';')[0];

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(b, HttpMethod.Get, "/api/auth/me", cookie));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(a, HttpMethod.Get, "/api/auth/me", cookie));

        Assert.True((await StatusAsync(b, HttpMethod.Post, "/api/auth/logout", cookie)) is HttpStatusCode.OK or HttpStatusCode.NoContent);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await StatusAsync(a, HttpMethod.Get, "/api/auth/me", cookie) != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTime.UtcNow < deadline, "the session signed out on b still works on a");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_hook_report_to_one_instance_reaches_the_dashboards_of_the_other()
    {
        await using var instances = await TwoInstances.StartAsync();
        await using var onB = await TwoInstances.ConnectDashboardAsync(instances.B.BaseAddress);
        using var a = new HttpClient { BaseAddress = instances.A.BaseAddress };

        using var ringing = await a.PostAsync("/api/dialplan/calls/ringing", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["call"] = "1732412345.70", ["leg"] = "1732412345.71", ["channel"] = "PJSIP/1008-00000070", ["number"] = "09123456789",
        }));
        Assert.Equal(HttpStatusCode.Accepted, ringing.StatusCode);
        using var answered = await a.PostAsync("/api/dialplan/calls/answered", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["call"] = "1732412345.70", ["leg"] = "1732412345.71",
        }));
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);

        await TwoInstances.WaitUntilAsync(() => onB.StatesOf("1732412345.70").Contains("answered"), TimeSpan.FromSeconds(30), () => instances.Output);
        Assert.Equal(["ringing", "answered"], onB.StatesOf("1732412345.70"));
        Assert.Equal("hook", onB.Changes[0].Call!.Source);
        Assert.Equal("Healthy", await TwoInstances.HealthOfAsync(instances.B, "scaling"));
    }

    [Fact]
    public async Task Failed_sign_ins_on_one_instance_count_on_the_other()
    {
        await using var instances = await TwoInstances.StartAsync(new Dictionary<string, string?> { ["Auth:SignInAttempts"] = "3" });
        using var a = new HttpClient { BaseAddress = instances.A.BaseAddress };
        using var b = new HttpClient { BaseAddress = instances.B.BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await a.PostAsJsonAsync("/api/auth/login", new { username = "agent1008", password = "wrong-guess" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await b.PostAsJsonAsync("/api/auth/login", new { username = "agent1008", password = TwoInstances.AgentPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, string cookie)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
