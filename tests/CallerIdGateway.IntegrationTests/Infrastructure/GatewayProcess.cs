using System.Diagnostics;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway as its own process, the way an operator starts it: for what happens when it will not
/// start. (In-process, WebApplicationFactory races the failing entry point for the disposed host.)
/// </summary>
public static class GatewayProcess
{
    public sealed record Exit(int Code, string Output);

    /// <summary>Runs the gateway with the settings (as environment variables) until it exits.</summary>
    public static async Task<Exit> RunUntilExitAsync(IDictionary<string, string?> settings, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CallerIdGateway.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Gateway"] = $"Data Source={TestFiles.NewPath("callerid-test", ".db")}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The gateway did not exit within {timeout ?? TimeSpan.FromSeconds(60)}: it started.");
        }
        return new Exit(process.ExitCode, await output + await error);
    }
}
