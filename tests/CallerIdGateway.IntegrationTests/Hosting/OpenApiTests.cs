using System.Net;
using System.Text.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary>The OpenAPI document other clients are written from, and its browsable reference.</summary>
public class OpenApiTests
{
    [Fact]
    public async Task The_document_declares_the_API_key_and_cookie_schemes_and_the_refusals_as_ProblemDetails()
    {
        await using var app = GatewayApp.OnSqlite();
        using var client = app.Start();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("cookie", schemes.GetProperty("Cookie").GetProperty("in").GetString());
        var lookup = document.RootElement.GetProperty("paths").GetProperty("/api/customers/by-phone/{phoneNumber}").GetProperty("get");
        Assert.Equal(2, lookup.GetProperty("security").GetArrayLength());
        foreach (var status in new[] { "401", "403", "404", "429", "503" })
        {
            Assert.True(lookup.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);
        }
        var replace = document.RootElement.GetProperty("paths").GetProperty("/api/customers/{id}/phone-numbers").GetProperty("put");
        Assert.True(replace.GetProperty("responses").TryGetProperty("409", out _));
        var explain = document.RootElement.GetProperty("paths").GetProperty("/api/diagnostics/number").GetProperty("get");
        Assert.Contains("supervisors", explain.GetProperty("responses").GetProperty("403").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(explain.GetProperty("responses").TryGetProperty("400", out _));
    }

    [Theory]
    [InlineData("false", HttpStatusCode.NotFound)]
    [InlineData("true", HttpStatusCode.OK)]
    public async Task The_browsable_reference_is_served_outside_Development_only_when_enabled(string enabled, HttpStatusCode expected)
    {
        await using var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { ["OpenApi:UiEnabled"] = enabled });
        using var client = app.Start();

        using var response = await client.GetAsync("/scalar/");

        Assert.Equal(expected, response.StatusCode);
    }
}
