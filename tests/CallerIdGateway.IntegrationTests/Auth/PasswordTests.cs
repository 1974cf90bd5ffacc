using System.Diagnostics;
using CallerIdGateway.Auth;
using CallerIdGateway.IntegrationTests.Hosting;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>No agent signs in with an empty password: hash-password will not make one, and the gateway will not start with one.</summary>
public class PasswordTests
{
    [Fact]
    public async Task Hash_password_asks_twice_and_prints_only_the_hash()
    {
        var run = await HashPasswordAsync([], "correct horse\ncorrect horse\n");

        Assert.Equal(0, run.Code);
        var hash = run.Output.Trim();
        Assert.DoesNotContain("correct horse", run.Output + run.Error);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<AgentUser>().VerifyHashedPassword(new AgentUser(), hash, "correct horse"));
    }

    [Theory]
    [InlineData("\n\n", "at least 8 characters")]
    [InlineData("short\nshort\n", "at least 8 characters")]
    [InlineData("correct horse\ncorrect house\n", "differ")]
    public async Task Hash_password_refuses_an_empty_short_or_mistyped_password(string input, string message)
    {
        var run = await HashPasswordAsync([], input);

        Assert.NotEqual(0, run.Code);
        Assert.Equal("", run.Output);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task Hash_password_refuses_the_password_as_an_argument()
    {
        var run = await HashPasswordAsync(["correct horse"], "");

        Assert.NotEqual(0, run.Code);
        Assert.Equal("", run.Output);
        Assert.Contains("takes no argument", run.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-hash")]
    [InlineData("empty-password")]
    public async Task An_agent_without_a_usable_password_hash_stops_the_start_naming_the_key(string hash)
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Auth:Users:0:Username"] = "agent",
            ["Auth:Users:0:PasswordHash"] = hash == "empty-password" ? new PasswordHasher<AgentUser>().HashPassword(new AgentUser(), "") : hash,
            ["Auth:Users:0:Extensions:0"] = "1008",
        }, TimeSpan.FromSeconds(30));

        ConfigurationTests.AssertStoppedNaming("Auth:Users:0:PasswordHash", exit);
    }

    private sealed record Run(int Code, string Output, string Error);

    /// <summary>Runs <c>CallerIdGateway hash-password</c> with its input piped, as a script would.</summary>
    private static async Task<Run> HashPasswordAsync(string[] arguments, string input)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CallerIdGateway.dll"));
        start.ArgumentList.Add("hash-password");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return new Run(process.ExitCode, await output, await error);
    }
}
