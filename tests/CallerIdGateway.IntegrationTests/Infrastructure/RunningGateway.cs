using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway as a process of its own that keeps running, for faults a process suffers: the test
/// kills it (SIGKILL) or stops it and starts another on the same database and journal. Dispose
/// kills whatever still runs.
/// </summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningGateway(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>What the gateway wrote so far, for failure messages.</summary>
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>Starts the gateway with the settings (as environment variables, plus the test API key) and waits until it answers.</summary>
    public static async Task<RunningGateway> StartAsync(IDictionary<string, string?> settings)
    {
        var port = MySqlServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CallerIdGateway.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Auth__ApiKeys__0__Name"] = "tests";
        start.Environment["Auth__ApiKeys__0__Key"] = GatewayApp.ApiKey;
        start.Environment["Auth__ApiKeys__0__Extensions__0"] = "*";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        var gateway = new RunningGateway(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                if (gateway._process.HasExited)
                {
                    throw new InvalidOperationException($"The gateway exited ({gateway._process.ExitCode}):\n{gateway.Output}");
                }
                try
                {
                    if ((await client.GetAsync("/health/live")).IsSuccessStatusCode)
                    {
                        return gateway;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The gateway did not answer within 90 s:\n{gateway.Output}");
                }
                await Task.Delay(100);
            }
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public HttpClient CreateKeyClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", GatewayApp.ApiKey);
        return client;
    }

    public HubConnection CreateHubConnection() =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/calls"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(GatewayApp.ApiKey))
            .Build();

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
