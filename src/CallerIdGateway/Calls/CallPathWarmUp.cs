using System.Diagnostics;
using System.Text.Json;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// Right after start, with nobody waiting, does once what a ringing call needs: the number parser's
/// metadata, the lookup and call log queries (EF compiles each on first use), a few pooled database
/// connections and the payload's JSON contracts. Otherwise the first burst of calls after a restart
/// pays for all of it, hundreds of milliseconds per screen (docs/performance.md). Part of the start,
/// so that "started" means "warm" (it takes a fraction of a second; a failure only logs).
/// </summary>
internal sealed partial class CallPathWarmUp(
    CallerResolver resolver,
    CallLog log,
    IOptions<JsonHubProtocolOptions> hubJson,
    ILogger<CallPathWarmUp> logger) : IHostedService
{
    /// <summary>Lookups run side by side, so the pool holds this many connections for the first burst.</summary>
    private const int Connections = 4;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var token = limit.Token;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => resolver.WarmUpAsync(token)));
            var sample = new CustomerCallData
            {
                Lookup = LookupStatus.NoNumber,
                Call = new CallInfo
                {
                    Id = "warm-up", Extension = "warm-up", CallerNumber = "", CallerName = "",
                    State = CallState.Ringing, Source = CallSource.Ari, StartedAt = DateTimeOffset.UtcNow,
                },
            };
            _ = JsonSerializer.Serialize(sample, hubJson.Value.PayloadSerializerOptions);
            await log.WarmUpAsync(sample, token);
            LogWarm(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The database may be away now; the sources and lookups report that themselves.
            LogWarmUpFailed(logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Call path warmed up in {Milliseconds:F0} ms")]
    private static partial void LogWarm(ILogger logger, double milliseconds);

    [LoggerMessage(LogLevel.Information, "Call path warm-up skipped: {Message}")]
    private static partial void LogWarmUpFailed(ILogger logger, string message);
}
