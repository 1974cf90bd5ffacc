using System.Diagnostics;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway as its own process, the way an operator starts it: for what happens when it will not
/// start (in-process, WebApplicationFactory races the failing entry point for the disposed host), and
/// for what it writes to its console.
/// </summary>
public static class GatewayProcess
{
    public sealed record Exit(int Code, string Output);

    /// <summary>Runs the gateway (or one of its commands, <paramref name="arguments"/>) with the settings (as environment variables) until it exits.</summary>
    public static async Task<Exit> RunUntilExitAsync(IDictionary<string, string?> settings, TimeSpan? timeout = null, IReadOnlyList<string>? arguments = null)
    {
        var start = StartInfo(settings, arguments, out _);
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
        var start = StartInfo(settings, arguments, out _);
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

    /// <summary>Starts the gateway with the settings and returns once it listens; disposing it stops the process.</summary>
    public static async Task<Running> StartAsync(IDictionary<string, string?> settings)
    {
        var start = StartInfo(settings, null, out var databaseFile);
        var running = new Running(Process.Start(start)!, databaseFile);
        try
        {
            var listening = await running.WaitForLineAsync(l => l.Contains("Now listening on: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            running.BaseAddress = new Uri(listening[(listening.IndexOf("http://", StringComparison.Ordinal))..].Trim());
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>A gateway process: where it listens and every line it has written to stdout and stderr.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly Task _readers;
        private readonly string _databaseFile;

        internal Running(Process process, string databaseFile)
        {
            _process = process;
            _databaseFile = databaseFile;
            _readers = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
        }

        public Uri BaseAddress { get; internal set; } = null!;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        /// <summary>The first line (already written or still to come) that matches.</summary>
        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (Lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
                if (_process.HasExited && _readers.IsCompleted)
                {
                    break;
                }
                await Task.Delay(50);
            }
            throw new TimeoutException($"No such line from the gateway within {timeout}:\n{string.Join('\n', Lines)}");
        }

        private async Task ReadAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            await _readers;
            _process.Dispose();
            foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static ProcessStartInfo StartInfo(IDictionary<string, string?> settings, IReadOnlyList<string>? arguments, out string databaseFile)
    {
        databaseFile = TestFiles.NewPath("callerid-test", ".db");
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
        start.Environment["ConnectionStrings__Gateway"] = $"Data Source={databaseFile}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        return start;
    }
}
