using System.Net;
using System.Text.Json;
using System.Text;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary>
/// Every endpoint that reads a body or a query answers input it cannot read with a 4xx ProblemDetails
/// that says what is wrong: in Development (the README's run mode, where such requests used to be a
/// 500 with a stack trace) and in Production (where they were a bare 400) alike.
/// </summary>
public abstract class BadInputTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : BadInputTests<TFixture>.EnvironmentFixture
{
    public abstract class EnvironmentFixture(string environment) : IAsyncLifetime
    {
        public GatewayApp App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            App = GatewayApp.OnSqlite(new Dictionary<string, string?> { ["environment"] = environment });
            App.Start().Dispose();
            await Task.CompletedTask;
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private static readonly string TenMegabyteForm = "call=1.1&leg=1.2&channel=PJSIP%2F1008-00000001&number=" + new string('1', 10 * 1024 * 1024);
    private static readonly string TwoMegabyteJson = "{\"phoneNumbers\":[\"" + new string('1', 2 * 1024 * 1024) + "\"]}";
    private static readonly string TooManyFields = string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"));

    private sealed record Case(string Method, string Path, string? ContentType, string? Body, HttpStatusCode Status, string Mentions);

    // What the detail (or, for validation problems, the errors) must mention.
    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["invalid JSON"] = new("PUT", "/api/customers/1/phone-numbers", "application/json", "{bad", HttpStatusCode.BadRequest, "invalid"),
        ["a wrong JSON shape"] = new("PUT", "/api/customers/1/phone-numbers", "application/json", "{\"phoneNumbers\":\"0912\"}", HttpStatusCode.BadRequest, "$.phoneNumbers"),
        ["an array for an object"] = new("PUT", "/api/customers/1/phone-numbers", "application/json", "[]", HttpStatusCode.BadRequest, "could not be converted"),
        ["an empty body"] = new("PUT", "/api/customers/1/phone-numbers", "application/json", "", HttpStatusCode.BadRequest, "no body"),
        ["a 2 MB document"] = new("PUT", "/api/customers/1/phone-numbers", "application/json", TwoMegabyteJson, HttpStatusCode.RequestEntityTooLarge, ""),
        ["sign-in: invalid JSON"] = new("POST", "/api/auth/login", "application/json", "{\"username\":", HttpStatusCode.BadRequest, "JSON"),
        ["sign-in: a wrong JSON shape"] = new("POST", "/api/auth/login", "application/json", "[\"agent\"]", HttpStatusCode.BadRequest, "could not be converted"),
        ["sign-in: an empty body"] = new("POST", "/api/auth/login", "application/json", "", HttpStatusCode.BadRequest, "no body"),
        ["a limit that is not a number"] = new("GET", "/api/calls/recent?limit=abc", null, null, HttpStatusCode.BadRequest, "limit"),
        ["a limit out of range"] = new("GET", "/api/calls/recent?limit=100000", null, null, HttpStatusCode.BadRequest, "limit"),
        ["a 10 MB form on a hook"] = new("POST", "/api/dialplan/calls/ringing", "application/x-www-form-urlencoded", TenMegabyteForm, HttpStatusCode.RequestEntityTooLarge, "16384"),
        ["too many form fields on a hook"] = new("POST", "/api/dialplan/calls/ended", "application/x-www-form-urlencoded", TooManyFields, HttpStatusCode.BadRequest, "Form value count limit"),
        ["a hook report without its ids"] = new("POST", "/api/dialplan/calls/ringing", "application/x-www-form-urlencoded", "number=0912", HttpStatusCode.BadRequest, "call"),
    };

    public static TheoryData<string> Requests => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Unreadable_input_is_a_4xx_problem_saying_what_is_wrong(string name)
    {
        var (method, path, contentType, body, status, mentions) = Cases[name];
        using var client = fixture.App.CreateKeyClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent(body ?? "", Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType);
            // As libcurl does for large bodies: the server can refuse before the body is sent (else it closes
            // the connection while the client still sends, and the client sees a broken pipe, not the 413).
            request.Headers.ExpectContinue = body?.Length > 1024 * 1024;
        }

        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ValidationProblemDetails>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title), text);
        Assert.Contains(mentions, problem.Detail + string.Join(' ', problem.Errors.SelectMany(e => e.Value)));
        Assert.DoesNotContain("   at ", text); // no stack trace
    }
}

public class BadInputInDevelopmentTests(BadInputInDevelopmentTests.Fixture fixture) : BadInputTests<BadInputInDevelopmentTests.Fixture>(fixture)
{
    public sealed class Fixture() : EnvironmentFixture("Development");
}

public class BadInputInProductionTests(BadInputInProductionTests.Fixture fixture) : BadInputTests<BadInputInProductionTests.Fixture>(fixture)
{
    public sealed class Fixture() : EnvironmentFixture("Production");
}
