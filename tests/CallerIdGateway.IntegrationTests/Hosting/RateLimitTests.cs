using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Dialplan;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary>The lookup API and the dialplan hooks allow each client a configured rate, then answer 429 with Retry-After.</summary>
public class RateLimitTests
{
    // One request a second after a burst of three: the fourth in a row is refused, whatever the machine's speed.
    private static GatewayApp App() => GatewayApp.OnSqlite(new Dictionary<string, string?>
    {
        ["RateLimits:Lookup:PermitsPerSecond"] = "1",
        ["RateLimits:Lookup:Burst"] = "3",
        ["RateLimits:Dialplan:PermitsPerSecond"] = "1",
        ["RateLimits:Dialplan:Burst"] = "3",
    });

    [Fact]
    public async Task A_key_that_looks_up_too_fast_gets_429_with_retry_after_while_another_key_goes_on()
    {
        await using var app = App();
        using var fast = app.Start();
        using var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", GatewayApp.ApiKey1008);

        var answers = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await fast.GetAsync("/api/customers/by-phone/09123456789");
            answers.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(answers.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(", ", answers));
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.ToString());
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(429, problem!.Status);
        Assert.Contains("try again", problem.Detail);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/customers/by-phone/09123456789")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Requests_without_a_known_key_are_limited_by_address_so_guessing_keys_does_not_escape_it(bool guessKeys)
    {
        await using var app = App();
        app.Start().Dispose();
        using var anonymous = app.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/customers/by-phone/09123456789");
            if (guessKeys)
            {
                request.Headers.Add("X-Api-Key", $"guess-{Guid.NewGuid():N}");
            }
            answers.Add((await anonymous.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, answers[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
    }

    [Fact]
    public async Task A_host_that_calls_the_hooks_too_fast_gets_429_with_an_empty_body_for_curl()
    {
        await using var app = App();
        app.Start().Dispose();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        HttpResponseMessage? refused = null;
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await hooks.GetAsync("/api/dialplan/caller-name?number=09123456789");
            answers.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.True(answers.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(", ", answers));
        Assert.NotNull(refused.Headers.RetryAfter);
        // CURL() would show any body on the phone as the caller's name.
        Assert.Equal("", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task By_default_the_limits_are_far_above_what_a_dialplan_and_an_integration_send()
    {
        await using var app = GatewayApp.OnSqlite();
        using var client = app.Start();
        using var hooks = DialplanGatewayFixture.Hooks(app);

        // A burst well beyond any single call's reports and lookups: a ring group of 20 phones, each reporting.
        var lookups = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync("/api/customers/by-phone/09123456789")));
        var names = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => hooks.GetAsync("/api/dialplan/caller-name?number=09123456789")));

        Assert.All(lookups, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(names, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
