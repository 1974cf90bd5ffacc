using System.Collections.Concurrent;
using System.Threading.Channels;
using CallerIdGateway.Dialplan;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// The thread-safe front of <see cref="CallTracker"/>: any number of sources post facts from their
/// own threads; one loop applies them in arrival order, advances the clock once a second, and hands
/// the changes to the <see cref="ICallChangeHandler"/>s.
/// </summary>
public sealed partial class CallTrackerService : BackgroundService
{
    private readonly Channel<CallFact> _facts = Channel.CreateUnbounded<CallFact>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CallTracker _tracker;
    private readonly IEnumerable<ICallChangeHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly ILogger<CallTrackerService> _logger;
    // The loop applies facts under it; FindLeg and ActiveCalls read the tracker under it from other threads.
    private readonly Lock _trackerLock = new();
    private readonly ConcurrentDictionary<CallSource, TaskCompletionSource> _resynced = new();

    public CallTrackerService(
        IOptions<GatewayOptions> options,
        IOptions<DialplanOptions> dialplan,
        IEnumerable<ICallChangeHandler> handlers,
        TimeProvider time,
        ILogger<CallTrackerService> logger)
    {
        _tracker = new CallTracker(options.Value, new CallHookLimits(dialplan.Value.CallHookMaxRing, dialplan.Value.CallHookMaxTalk));
        _handlers = handlers;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Calls ringing or answered now as the tracker has them (a snapshot; safe from any thread), ahead of their
    /// lookup: what the call log's reconcile keeps open after a resync. Clients read <see cref="LiveCalls"/>.
    /// </summary>
    public IReadOnlyList<CallInfo> ActiveCalls
    {
        get
        {
            lock (_trackerLock)
            {
                return [.. _tracker.ActiveCalls];
            }
        }
    }

    /// <summary>The live leg of a call toward an extension, for call control; null when there is none.</summary>
    public CallLeg? FindLeg(string callId, string extension)
    {
        lock (_trackerLock)
        {
            return _tracker.FindLeg(callId, extension);
        }
    }

    /// <summary>Completes once the first resync of <paramref name="source"/> has been applied (and <see cref="ActiveCalls"/> shows it).</summary>
    public Task FirstResyncApplied(CallSource source) => Resynced(source).Task;

    private TaskCompletionSource Resynced(CallSource source) =>
        _resynced.GetOrAdd(source, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>After it is applied, a resync completes its source's signal.</summary>
    private void SignalResynced(CallFact fact)
    {
        if (fact is SourceResynced resynced)
        {
            Resynced(resynced.Source).TrySetResult();
        }
    }

    /// <summary>Queues a fact; never blocks.</summary>
    public void Post(CallFact fact) => _facts.Writer.TryWrite(fact);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        _ = TickAsync(ticker, stoppingToken);

        await foreach (var fact in _facts.Reader.ReadAllAsync(stoppingToken))
        {
            IReadOnlyList<CallInfo> changes;
            try
            {
                lock (_trackerLock)
                {
                    changes = _tracker.Apply(fact);
                }
            }
            catch (Exception e)
            {
                // A fact the tracker cannot digest must not stop call tracking for everyone else.
                LogFactFailed(_logger, fact.GetType().Name, e);
                continue;
            }
            SignalResynced(fact);
            foreach (var change in changes)
            {
                foreach (var handler in _handlers)
                {
                    try
                    {
                        handler.OnCallChanged(change);
                    }
                    catch (Exception e)
                    {
                        LogHandlerFailed(_logger, handler.GetType().Name, change.Id, e);
                    }
                }
            }
        }
    }

    private async Task TickAsync(PeriodicTimer ticker, CancellationToken stoppingToken)
    {
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                Post(new ClockTick(_time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Error, "Call tracker could not apply a {Fact}; skipped")]
    private static partial void LogFactFailed(ILogger logger, string fact, Exception exception);

    [LoggerMessage(LogLevel.Error, "{Handler} failed on a change of call {CallId}")]
    private static partial void LogHandlerFailed(ILogger logger, string handler, string callId, Exception exception);
}
