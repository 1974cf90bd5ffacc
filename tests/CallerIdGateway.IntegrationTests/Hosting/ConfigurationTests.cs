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
    public async Task An_unknown_provider_ends_the_start_with_one_line_naming_the_key_and_the_accepted_values()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Database:Provider"] = "Oracle" });

        AssertOnlyLine("CallerIdGateway stopped: Database:Provider is 'Oracle'; accepted values: Sqlite, MySql.", exit);
    }

    [Fact]
    public async Task A_duration_that_is_not_one_says_what_a_duration_looks_like()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?> { ["Database:LookupTimeout"] = "soon" });

        AssertOnlyLine("CallerIdGateway stopped: Database:LookupTimeout is 'soon'; expected a duration such as 00:00:15 (hh:mm:ss).", exit);
    }

    [Theory]
    [InlineData("Sqlite", "Foo=bar", "ConnectionStrings:Gateway is not a valid Sqlite connection string: Connection string keyword 'foo' is not supported.")]
    [InlineData("MySql", "Server=db;Databse=invoicing;Password=hunter2", "ConnectionStrings:Gateway is not a valid MySql connection string: Option 'databse' not supported.")]
    [InlineData("MySql", "Server=db;User=gateway;Password=hunter2", "ConnectionStrings:Gateway names no Database")]
    public async Task A_malformed_connection_string_names_the_key_and_what_is_wrong_without_repeating_it(string provider, string connectionString, string expected)
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Gateway"] = connectionString,
        });

        AssertOnlyLine("CallerIdGateway stopped: " + expected, exit);
        Assert.DoesNotContain("hunter2", exit.Output);
    }

    [Fact]
    public async Task An_unreachable_database_names_its_host_and_port()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now

        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["ConnectionStrings:Gateway"] = $"Server=127.0.0.1;Port={port};Database=invoicing;User=gateway;Password=hunter2",
        });

        AssertOnlyLine($"CallerIdGateway stopped: The database at 127.0.0.1:{port} (ConnectionStrings:Gateway) does not answer", exit);
        Assert.DoesNotContain("hunter2", exit.Output);
    }

    [Fact]
    public async Task In_production_with_no_agent_and_no_key_the_gateway_warns_that_nobody_can_sign_in()
    {
        var output = await GatewayProcess.RunUntilOutputAsync(
            new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" },
            "Nobody can sign in",
            TimeSpan.FromMinutes(3));

        Assert.Contains("Nobody can sign in: Auth:Users and Auth:ApiKeys are empty. Add the first agent", output);
        Assert.Contains("hash-password", output);
    }

    [Fact]
    public async Task In_production_with_an_agent_there_is_no_sign_in_warning()
    {
        var output = await GatewayProcess.RunUntilOutputAsync(
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Auth:ApiKeys:0:Name"] = "desk",
                ["Auth:ApiKeys:0:Key"] = "a-key-of-sixteen-or-more",
                ["Auth:ApiKeys:0:Extensions:0"] = "1008",
            },
            "Application started",
            TimeSpan.FromMinutes(3));

        Assert.Contains("Application started", output);
        Assert.DoesNotContain("Nobody can sign in", output);
    }

    /// <summary>Exit code 1 and nothing printed but the one line that says what is wrong: no stack trace first.</summary>
    private static void AssertOnlyLine(string expectedStart, GatewayProcess.Exit exit)
    {
        Assert.True(exit.Code == 1, $"exit code {exit.Code}:\n{exit.Output}");
        var lines = exit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, exit.Output);
        Assert.StartsWith(expectedStart, lines[0]);
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
        Assert.DoesNotContain("   at ", exit.Output); // no stack trace at the default log level
    }
}
