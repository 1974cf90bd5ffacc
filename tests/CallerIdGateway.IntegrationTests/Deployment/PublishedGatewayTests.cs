using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.Deployment;

/// <summary>
/// The published gateway started the way deploy/callerid-gateway.service starts it: <c>dotnet
/// /opt/…/CallerIdGateway.dll</c> in another folder (the unit's <c>WorkingDirectory</c>, its state
/// directory). It must find its own appsettings.json and wwwroot there, and keep its data in the working directory.
/// </summary>
public partial class PublishedGatewayTests : IAsyncLifetime
{
    private readonly string _published = Path.Combine(Path.GetTempPath(), $"callerid-published-{Guid.NewGuid():N}");
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), $"callerid-state-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workingDirectory);
        // The test run has built the gateway (this project references it): publish that build, which takes
        // seconds, instead of building it again.
        var configuration = typeof(PublishedGatewayTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.GetFullPath(Path.Combine(AsteriskFixtures.Root, "..", "..", "..", "src", "CallerIdGateway", "CallerIdGateway.csproj"));
        var exit = await RunAsync("dotnet", ["publish", project, "--no-build", "-c", configuration, "-o", _published, "-p:UseAppHost=false"], TimeSpan.FromMinutes(3));
        Assert.True(exit.Code == 0, "dotnet publish failed:\n" + exit.Output);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_published, recursive: true);
        Directory.Delete(_workingDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Started_from_its_state_directory_it_reads_its_settings_serves_the_dashboard_and_keeps_its_data_there()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(_published, "CallerIdGateway.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        start.Environment.Remove("DOTNET_CONTENTROOT");
        start.Environment.Remove("ConnectionStrings__Gateway");

        using var process = Process.Start(start)!;
        var output = new ProcessOutput(process);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilLiveAsync(client, process, output);

            using var page = await client.GetAsync("/");
            Assert.True(page.IsSuccessStatusCode, $"GET / answered {(int)page.StatusCode}\n{output}");
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_published, "wwwroot", "index.html")), await page.Content.ReadAsStringAsync());
            // Only appsettings.json configures the console log, in this shape: without it the gateway writes nothing.
            await output.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(10));
            Assert.True(File.Exists(Path.Combine(_workingDirectory, "callerid-gateway.db")), "the SQLite file is not in the working directory");
            Assert.False(File.Exists(Path.Combine(_published, "callerid-gateway.db")), "the SQLite file went to the program's folder");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitUntilLiveAsync(HttpClient client, Process process, ProcessOutput output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90); // a cold start on a busy 2-core runner
        while (true)
        {
            Assert.False(process.HasExited, $"the gateway exited with {(process.HasExited ? process.ExitCode : 0)}:\n{output}");
            try
            {
                using var live = await client.GetAsync("/health/live");
                if (live.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            Assert.True(DateTime.UtcNow < deadline, $"the gateway did not answer /health/live within 90 s:\n{output}");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d INF\] Microsoft\.Hosting\.Lifetime: Now listening on: http://")]
    private static partial Regex ListeningLine();

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} took longer than {timeout}");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A process's stdout and stderr lines as they come.</summary>
    private sealed class ProcessOutput
    {
        private readonly List<string> _lines = [];

        public ProcessOutput(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                lock (_lines)
                {
                    if (_lines.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } match)
                    {
                        return match;
                    }
                }
                Assert.True(DateTime.UtcNow < deadline, $"no line like {pattern} within {timeout}; the gateway wrote:\n{this}");
                await Task.Delay(50);
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        }
    }
}
