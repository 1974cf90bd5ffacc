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
    public async Task A_wrong_setting_stops_the_start_with_a_message_that_names_the_key(string key, string value)
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { [key] = value });

        AssertStoppedNaming(key, exit);
    }

    [Fact]
    public async Task An_unknown_provider_names_the_key()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" });

        AssertStoppedNaming("Database:Provider", exit);
    }

    [Fact]
    public async Task MySql_without_a_connection_string_names_the_missing_key()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Database:Provider"] = "MySql", ["ConnectionStrings:Gateway"] = "" });

        AssertStoppedNaming("ConnectionStrings:Gateway", exit);
    }

    /// <summary>Exit code 1, and the last line, the one an operator reads first, says what is wrong.</summary>
    internal static void AssertStoppedNaming(string expected, GatewayProcess.Exit exit)
    {
        Assert.True(exit.Code == 1, $"exit code {exit.Code}:\n{exit.Output}");
        var lastLine = exit.Output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("CallerIdGateway stopped: ", lastLine);
        Assert.True(lastLine.Contains(expected), exit.Output);
        Assert.DoesNotContain("Unhandled exception", exit.Output);
    }
}
