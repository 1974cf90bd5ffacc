using System.Text.Json;
using System.Threading.Channels;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// Writes every call change to <c>gateway_calls</c> (one row per call and extension) and reads the
/// history back (the calls live now are <see cref="LiveCalls"/>'). The writes happen behind the push: changes wait here, merged by call and extension so only the
/// last state of each is written, and one loop stores them in batches, so a call storm costs a few
/// round trips to the database and no screen waits for them. While the database is away the changes
/// stay (up to <see cref="CallLogOptions.CallLogBacklog"/> calls) and the loop retries with backoff;
/// every change is also appended to a local journal first (<see cref="CallLogJournal"/>), replayed
/// at the next start, so neither a kill nor a database that is away at shutdown loses history.
/// </summary>
public sealed partial class CallLog : BackgroundService, ICallNotifier
{
    private const int MaxBatch = 500;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>/api/calls/recent</c> may take before it answers 503, whatever the driver does.</summary>
    private static readonly TimeSpan HistoryBudget = TimeSpan.FromSeconds(3);

    private readonly IServiceScopeFactory _scopes;
    private readonly IServiceProvider _services;
    private readonly JsonSerializerOptions _json;
    private readonly CallLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CallLog> _logger;

    private readonly Lock _lock = new();

    // What is not stored yet: the last row of each call, with the number of the change that made it.
    private readonly Dictionary<(string, string), PendingRow> _pending = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _writes = new(1, 1);
    private CallPublisher? _publisher;
    private CallLogJournal? _journal;
    private long _sequence;
    private long _replayedThrough;
    private volatile bool _databaseAway;
    private TaskCompletionSource _batchStored = NewSignal();

    public CallLog(IServiceScopeFactory scopes, IServiceProvider services, IOptions<JsonOptions> json, IOptions<CallLogOptions> options, TimeProvider time, ILogger<CallLog> logger)
    {
        _scopes = scopes;
        _services = services;
        _json = json.Value.SerializerOptions;
        _options = options.Value;
        _time = time;
        _logger = logger;
        StartedAt = time.GetUtcNow();
    }

    /// <summary>When this run began: rows of calls that started earlier and are still open belong to an earlier run.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Calls whose last change is not in the database yet.</summary>
    public int Backlog
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        var row = Row(call, data);
        var line = _journal is null ? null : CallLogJournal.Line(row);
        lock (_lock)
        {
            Keep(row);
            if (line is not null)
            {
                AppendToJournal(line);
            }
        }
        _wake.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) until every change made before this call is stored;
    /// at once when the database is known to be away.
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await WaitStoredAsync(Interlocked.Read(ref _sequence), stopIfAway: true, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The database is slow or away: answer with what is stored rather than not at all.
        }
    }

    private async Task WaitStoredAsync(long through, bool stopIfAway, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before looking: a batch stored in between completes it.
            var signal = Volatile.Read(ref _batchStored).Task;
            lock (_lock)
            {
                if (!_pending.Values.Any(p => p.Sequence <= through))
                {
                    return;
                }
            }
            if (stopIfAway && _databaseAway)
            {
                return;
            }
            await signal.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The newest calls of the given extensions (null = all), missed ones included.</summary>
    /// <exception cref="CallLogUnavailableException">The database did not answer within a few seconds.</exception>
    public async Task<IReadOnlyList<CustomerCallData>> RecentAsync(IReadOnlyCollection<string>? extensions, int limit, CancellationToken cancellationToken)
    {
        // Read your writes: a client that saw a call end expects it in the history.
        await FlushAsync(TimeSpan.FromSeconds(2), cancellationToken);
        try
        {
            // WaitAsync as well as the token: a driver waiting on a frozen server may not heed a cancel.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(HistoryBudget);
            return await QueryRecentAsync(extensions, limit, budget.Token).WaitAsync(HistoryBudget, _time, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CallLogUnavailableException(e);
        }
    }

    private async Task<IReadOnlyList<CustomerCallData>> QueryRecentAsync(IReadOnlyCollection<string>? extensions, int limit, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var query = db.Calls.AsNoTracking();
        if (extensions is not null)
        {
            query = query.Where(c => extensions.Contains(c.Extension));
        }
        var payloads = await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(limit).Select(c => c.Payload).ToListAsync(cancellationToken);
        return payloads.Select(p => JsonSerializer.Deserialize<CustomerCallData>(p, _json)!).ToList();
    }

    /// <summary>Runs the call log's queries and payload serialization once (see <see cref="CallPathWarmUp"/>).</summary>
    public async Task WarmUpAsync(CustomerCallData sample, CancellationToken cancellationToken)
    {
        _ = JsonSerializer.Serialize(sample, _json);
        _ = CallLogJournal.Line(Row(new CallInfo
        {
            Id = "warm-up", Extension = "warm-up", CallerNumber = "", CallerName = "", State = CallState.Ringing, Source = CallSource.Ari, StartedAt = StartedAt,
        }, sample));
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        // The upsert runs once too, rolled back: no row stays.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var row = new CallRecord
            {
                CallId = "warm-up", Extension = "warm-up", CallerNumber = "", Lookup = "", State = "", Source = "", Payload = "",
            };
            await CallLogSql.UpsertAsync(db, [row], cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
        }
        _ = await QueryRecentAsync(null, 1, cancellationToken);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The publisher needs this log (a notifier), so it is asked for now rather than injected.
        _publisher = _services.GetRequiredService<CallPublisher>();
        OpenJournal();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The tracker has stopped (it starts after this service, so it stops before it); the changes it
        // made last may still wait for their lookup in the publisher.
        try
        {
            await (_publisher?.DrainAsync() ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        // Store what is waiting, within the host's shutdown timeout. What the database does not take
        // now, and any change still coming, stays in the journal for the next start.
        while (!cancellationToken.IsCancellationRequested && TakeBatch() is { Count: > 0 } batch)
        {
            if (!await TryStoreAsync(batch, cancellationToken))
            {
                break;
            }
        }
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            _journal?.Dispose();
            _journal = null;
        }
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = TakeBatch();
            if (batch.Count == 0)
            {
                try
                {
                    await _wake.Reader.ReadAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            if (await TryStoreAsync(batch, stoppingToken))
            {
                retry = FirstRetry;
                continue;
            }
            try
            {
                await Task.Delay(retry, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private void OpenJournal()
    {
        if (string.IsNullOrWhiteSpace(_options.CallLogJournal))
        {
            return;
        }
        try
        {
            var journal = CallLogJournal.Open(_options.CallLogJournal);
            var rows = journal.ReadAll();
            lock (_lock)
            {
                _journal = journal;
                foreach (var row in rows)
                {
                    Keep(row);
                }
                _replayedThrough = _sequence;
            }
            if (rows.Count > 0)
            {
                LogReplayed(_logger, rows.Count, _pending.Count, journal.Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another gateway on the same folder, or a folder it may not write: the history still works, without the journal.
            LogJournalUnavailable(_logger, _options.CallLogJournal, e.Message);
        }
    }

    /// <summary>Under the lock: this row is now the one to store for its call.</summary>
    private void Keep(CallRecord row)
    {
        _pending[(row.CallId, row.Extension)] = new PendingRow(row, ++_sequence);
        if (_pending.Count > _options.CallLogBacklog)
        {
            var oldest = _pending.MinBy(p => p.Value.Sequence);
            _pending.Remove(oldest.Key);
            LogBacklogFull(_logger, _options.CallLogBacklog, oldest.Key.Item1, oldest.Key.Item2, oldest.Value.Row.State);
        }
    }

    private void AppendToJournal(byte[] line)
    {
        if (_journal is null)
        {
            return;
        }
        try
        {
            // Bounded: when the lines run well past the calls still waiting, write just those calls.
            if (_journal.Lines >= 2 * _pending.Count + 1000)
            {
                _journal.Rewrite([.. _pending.Values.OrderBy(p => p.Sequence).Select(p => p.Row)]);
            }
            else
            {
                _journal.Append(line);
            }
        }
        catch (IOException e)
        {
            LogJournalFailed(_logger, _journal.Path, e.Message);
        }
    }

    private List<PendingRow> TakeBatch()
    {
        lock (_lock)
        {
            return _pending.Count <= MaxBatch
                ? [.. _pending.Values]
                : [.. _pending.Values.OrderBy(p => p.Sequence).Take(MaxBatch)];
        }
    }

    private async Task<bool> TryStoreAsync(List<PendingRow> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _writes.WaitAsync(cancellationToken);
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                await CallLogSql.UpsertAsync(db, batch.Select(p => p.Row).ToList(), cancellationToken);
            }
            finally
            {
                _writes.Release();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The push already went out; the changes wait here (and in the journal) for the database.
            _services.GetRequiredService<Hosting.GatewayMetrics>().CallLogWriteFailed();
            if (!_databaseAway)
            {
                _databaseAway = true;
                LogStoreFailed(_logger, Backlog, e);
            }
            Interlocked.Exchange(ref _batchStored, NewSignal()).TrySetResult(); // flushes waiting on the database stop waiting
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        int waiting;
        lock (_lock)
        {
            foreach (var stored in batch)
            {
                var key = (stored.Row.CallId, stored.Row.Extension);
                if (_pending.TryGetValue(key, out var now) && now.Sequence == stored.Sequence)
                {
                    _pending.Remove(key);
                }
            }
            waiting = _pending.Count;
            if (waiting == 0)
            {
                TryClearJournal();
            }
        }
        if (_databaseAway)
        {
            _databaseAway = false;
            LogStoredAgain(_logger, batch.Count, waiting);
        }
        Interlocked.Exchange(ref _batchStored, NewSignal()).TrySetResult();
        return true;
    }

    private void TryClearJournal()
    {
        try
        {
            _journal?.Clear();
        }
        catch (IOException e)
        {
            LogJournalFailed(_logger, _journal!.Path, e.Message);
        }
    }

    private CallRecord Row(CallInfo call, CustomerCallData data) => new()
    {
        CallId = call.Id,
        Extension = call.Extension,
        CallerNumber = Truncate(call.RemoteNumber, 80), // the other party: the caller, the dialled number, the colleague
        NormalizedNumber = call.NormalizedNumber,
        CustomerId = data.Customer?.Id,
        Lookup = ContractJson.Name(data.Lookup),
        State = ContractJson.Name(call.State),
        Source = ContractJson.Name(call.Source),
        StartedAt = call.StartedAt.UtcDateTime,
        AnsweredAt = call.AnsweredAt?.UtcDateTime,
        EndedAt = call.EndedAt?.UtcDateTime,
        Payload = JsonSerializer.Serialize(data, _json),
    };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record PendingRow(CallRecord Row, long Sequence);

    [LoggerMessage(LogLevel.Warning, "Call log: the database does not take call changes; {Count} calls are kept and retried until it does")]
    private static partial void LogStoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(LogLevel.Information, "Call log: the database takes call changes again ({Stored} stored, {Waiting} still waiting)")]
    private static partial void LogStoredAgain(ILogger logger, int stored, int waiting);

    [LoggerMessage(LogLevel.Warning, "Call log: {Limit} calls already wait for the database (Gateway:CallLogBacklog); the change of call {CallId} on {Extension} ({State}) is given up")]
    private static partial void LogBacklogFull(ILogger logger, int limit, string callId, string extension, string state);

    [LoggerMessage(LogLevel.Information, "Call log: {Lines} changes of {Calls} calls replayed from the journal {Path}")]
    private static partial void LogReplayed(ILogger logger, int lines, int calls, string path);

    [LoggerMessage(LogLevel.Warning, "Call log: no journal ({Path}: {Reason}); changes that the database has not taken are lost if the gateway stops")]
    private static partial void LogJournalUnavailable(ILogger logger, string path, string reason);

    [LoggerMessage(LogLevel.Warning, "Call log: could not write the journal {Path}: {Reason}")]
    private static partial void LogJournalFailed(ILogger logger, string path, string reason);
}
