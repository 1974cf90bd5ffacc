using System.Globalization;
using System.Text.RegularExpressions;
using CallerIdGateway.IntegrationTests.Hosting;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;

namespace CallerIdGateway.IntegrationTests.Diagnostics;

/// <summary>
/// docs/asterisk-setup.md's Troubleshooting quotes what <c>/health/ready</c> and <c>doctor</c> print; an
/// administrator searches for those words. Each quote (… for the parts that vary) must match what the
/// real gateway prints in that state, against the test ARI and AMI servers.
/// </summary>
public partial class TroubleshootingTableTests
{
    private static readonly string Troubleshooting = Section(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "asterisk-setup.md")), "## Troubleshooting");

    [Fact]
    public async Task The_health_lines_it_quotes_are_what_health_ready_prints_for_refused_and_unreachable_sources()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        await using var ami = await TestAmiServer.StartNewAsync();
        var settings = GatewayApp.FollowingAri(ari);
        settings["Asterisk:Ari:Password"] = "not-the-password";
        settings["Asterisk:Ari:Reconnect:AuthFailureDelay"] = "00:00:00.200";
        settings["Asterisk:Ami:Enabled"] = "true";
        settings["Asterisk:Ami:Port"] = ami.Port.ToString(CultureInfo.InvariantCulture);
        settings["Asterisk:Ami:Username"] = ami.Username;
        settings["Asterisk:Ami:Secret"] = "not-the-secret";
        settings["Asterisk:Ami:Reconnect:AuthFailureDelay"] = "00:00:00.200";
        settings["Asterisk:Ami:Reconnect:InitialDelay"] = "00:00:00.050";
        settings["Asterisk:Ami:Reconnect:MaxDelay"] = "00:00:00.300";
        await using var app = GatewayApp.OnSqlite(settings);
        using var client = app.Start();

        var refused = await ReadinessTests.WaitForAsync(client, r => r.Data("ari", "state") == "authenticationFailed" && r.Data("ami", "state") == "authenticationFailed");
        AssertQuoted("Asterisk refused the credentials of ARI user 'gateway' at", refused.Data("ari", "lastError"));
        AssertQuoted("Asterisk at", refused.Data("ami", "lastError").Replace($":{ami.Port}", ":5038", StringComparison.Ordinal));

        await ari.StopAsync();
        await ami.StopAsync();
        var away = await ReadinessTests.WaitForAsync(client, r => r.Data("ari", "state") == "reconnecting" && r.Data("ami", "state") == "reconnecting"
            && r.Data("ari", "lastError").StartsWith("Unable", StringComparison.Ordinal) && r.Data("ami", "lastError") == "Connection refused");
        AssertQuoted("Unable to connect to the remote server", away.Data("ari", "lastError"));
        Assert.Contains("`Connection refused`", Troubleshooting);
        // The JSON example: the same descriptions at the default addresses.
        Assert.Contains(
            $"\"description\": \"{away.Entry("ari").GetProperty("description").GetString()!.Replace(ari.BaseUrl.ToString().TrimEnd('/'), "http://127.0.0.1:8088/ari", StringComparison.Ordinal)}\"",
            Troubleshooting);
        Assert.Contains($"\"description\": \"{away.Entry("ami").GetProperty("description").GetString()!.Replace($":{ami.Port}", ":5038", StringComparison.Ordinal)}\"", Troubleshooting);
    }

    [Fact]
    public async Task The_doctor_lines_it_quotes_are_what_doctor_prints()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        await using var ami = new TestAmiServer();
        ami.DeniedActions.Add("CoreShowChannels");
        await ami.StartAsync();
        var settings = GatewayApp.FollowingAri(ari);
        settings["Asterisk:Ari:Password"] = "not-the-password";
        settings["Asterisk:Ami:Enabled"] = "true";
        settings["Asterisk:Ami:Port"] = ami.Port.ToString(CultureInfo.InvariantCulture);
        settings["Asterisk:Ami:Username"] = ami.Username;
        settings["Asterisk:Ami:Secret"] = ami.Secret;
        var refused = await GatewayProcess.RunUntilExitAsync(settings, TimeSpan.FromMinutes(3), ["doctor"]);

        AssertQuoted("✗ ARI: ARI GET", Line(refused.Output, "✗ ARI:"));
        AssertQuoted("✗ AMI permissions", Line(refused.Output, "✗ AMI permissions:"));

        var closed = ClosedPort();
        settings["Asterisk:Ari:Password"] = ari.Password;
        settings["Asterisk:Ari:BaseUrl"] = $"http://127.0.0.1:{closed}/ari";
        settings["Asterisk:Ami:Port"] = closed.ToString(CultureInfo.InvariantCulture);
        var unreachable = await GatewayProcess.RunUntilExitAsync(settings, TimeSpan.FromMinutes(3), ["doctor"]);

        AssertQuoted("✗ ARI: http://", Line(unreachable.Output, "✗ ARI:"));
        AssertQuoted("✗ AMI: …:5038", Line(unreachable.Output, "✗ AMI:").Replace($":{closed}", ":5038", StringComparison.Ordinal));
    }

    /// <summary>The quote in the section that starts with <paramref name="start"/>, with … for any text, matches the start of <paramref name="printed"/>.</summary>
    private static void AssertQuoted(string start, string printed)
    {
        var prose = Regex.Replace(Troubleshooting, "```.*?```", "", RegexOptions.Singleline); // code blocks would pair the backticks wrongly
        var quotes = Quote().Matches(prose).Select(m => m.Groups["text"].Value).Where(q => q.StartsWith(start, StringComparison.Ordinal)).ToList();
        Assert.True(quotes.Count > 0, $"docs/asterisk-setup.md quotes nothing starting with '{start}'; the gateway prints: {printed}");
        foreach (var quote in quotes)
        {
            var pattern = "^" + string.Join(".*?", quote.Split('…').Select(Regex.Escape));
            Assert.True(Regex.IsMatch(printed, pattern), $"docs/asterisk-setup.md quotes `{quote}`, the gateway prints: {printed}");
        }
    }

    private static string Line(string output, string start) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal)) ?? $"(no line {start} in: {output})";

    private static string Section(string markdown, string heading)
    {
        var from = markdown.IndexOf(heading, StringComparison.Ordinal);
        var to = markdown.IndexOf("\n## ", from + heading.Length, StringComparison.Ordinal);
        return to < 0 ? markdown[from..] : markdown[from..to];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CallerIdGateway.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("CallerIdGateway.sln not found above " + AppContext.BaseDirectory);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("`(?<text>[^`]+)`")]
    private static partial Regex Quote();
}
