using System.Diagnostics;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway as its own process, the way an operator starts it: for what happens when it will not
/// start. (In-process, WebApplicationFactory races the failing entry point for the disposed host.)
/// </summary>
public static class GatewayProcess
{
    public sealed record Exit(int Code, string Output);

    /// <summary>Runs the gateway (or one of its commands, <paramref name="arguments"/>) with the settings (as environment variables) until it exits.</summary>
    public static async Task<Exit> RunUntilExitAsync(IDictionary<string, string?> settings, TimeSpan? timeout = null, IReadOnlyList<string>? arguments = null)
    {
        var start = StartInfo(settings, arguments);
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

    /// <summary>
    /// Runs the gateway (or one of its commands, <paramref name="arguments"/>) until a line of its output
    /// contains <paramref name="expected"/>, then stops it; returns what it printed up to then.
    /// </summary>
    public static async Task<string> RunUntilOutputAsync(
        IDictionary<string, string?> settings, string expected, TimeSpan? timeout = null, IReadOnlyList<string>? arguments = null)
    {
        var start = StartInfo(settings, arguments);
        using var process = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                if (line.Contains(expected, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(seen.Task, process.WaitForExitAsync()).WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return string.Join('\n', lines);
    }

    private static ProcessStartInfo StartInfo(IDictionary<string, string?> settings, IReadOnlyList<string>? arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CallerIdGateway.dll"));
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Gateway"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"callerid-test-{Guid.NewGuid():N}.db")}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        return start;
    }
}
