using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.Hosting;

public class ConfigurationTests
{
    [Theory]
    [InlineData("PhoneNumbers:DefaultAreaCode", "021x")]
    [InlineData("PhoneNumbers:DefaultRegion", "Iran")]
    [InlineData("Database:PhoneIndexSyncInterval", "00:00:00")]
    [InlineData("Database:Mode", "Borrow")]
    [InlineData("Database:InvoiceCurrency", "rial")]
    public void A_wrong_setting_stops_the_start_with_a_message_that_names_the_key(string key, string value)
    {
        using var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains(key, error.ToString());
    }

    [Fact]
    public void An_unknown_provider_names_the_key()
    {
        using var app = new GatewayApp(new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains("Database:Provider", error.ToString());
    }

    [Fact]
    public void MySql_without_a_connection_string_names_the_missing_key()
    {
        using var app = new GatewayApp(new Dictionary<string, string?> { ["Database:Provider"] = "MySql", ["ConnectionStrings:Gateway"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains("ConnectionStrings:Gateway", error.ToString());
    }
}
