using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Lets one instance at a time keep the number index in step (its passes write the shared
/// <c>gateway_phone_numbers</c>). A lease in Redis, renewed while the pass runs, so an instance
/// that dies holding it frees it after <see cref="RedisScalingOptions.IndexLockLease"/>. Without
/// scaling, or while Redis is away, every instance takes its turn on its own.
/// </summary>
public sealed partial class IndexSyncLock(RedisConnection redis, IOptions<ScalingOptions> options, ILogger<IndexSyncLock> logger)
{
    private static readonly IAsyncDisposable Alone = new NoLease();
    private string? _lastHolder;

    private RedisKey Key => redis.Key("phone-index-lock");

    private TimeSpan Lease => options.Value.Redis.IndexLockLease;

    /// <summary>Who holds the lease: this process, by name for the log of the others.</summary>
    private string Holder => $"{redis.InstanceName}/{redis.Origin}";

    private ILogger Logger => logger;

    /// <summary>This instance's turn (dispose it when the pass is over), or null when another instance holds the lock.</summary>
    public async Task<IAsyncDisposable?> TryTakeAsync(CancellationToken cancellationToken)
    {
        if (!redis.Enabled || !redis.IsConnected)
        {
            return Alone;
        }
        try
        {
            var db = redis.Database;
            if (await db.LockTakeAsync(Key, Holder, Lease))
            {
                Noticed(Holder, mine: true);
                return new Turn(this, db, cancellationToken);
            }
            var holder = await db.StringGetAsync(Key);
            Noticed(holder.IsNull ? "another instance" : holder.ToString(), mine: false);
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
            return Alone;
        }
    }

    private void Noticed(string holder, bool mine)
    {
        if (holder == _lastHolder)
        {
            return;
        }
        _lastHolder = holder;
        if (mine)
        {
            LogTaken(logger, redis.InstanceName);
        }
        else
        {
            LogHeldElsewhere(logger, holder, redis.InstanceName);
        }
    }

    /// <summary>A held lease, renewed at a third of its length until disposed, then given back.</summary>
    private sealed class Turn : IAsyncDisposable
    {
        private readonly IndexSyncLock _owner;
        private readonly IDatabase _db;
        private readonly CancellationTokenSource _stop;
        private readonly Task _renewing;

        public Turn(IndexSyncLock owner, IDatabase db, CancellationToken cancellationToken)
        {
            _owner = owner;
            _db = db;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _renewing = RenewAsync();
        }

        private async Task RenewAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(_owner.Lease / 3, _stop.Token);
                    if (!await _db.LockExtendAsync(_owner.Key, _owner.Holder, _owner.Lease))
                    {
                        LogLost(_owner.Logger);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogUnavailable(_owner.Logger, e.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
            try
            {
                await _db.LockReleaseAsync(_owner.Key, _owner.Holder);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The lease runs out by itself.
            }
        }
    }

    private sealed class NoLease : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "Scaling: instance {Instance} keeps the number index in step now")]
    private static partial void LogTaken(ILogger logger, string instance);

    [LoggerMessage(LogLevel.Information, "Scaling: {Holder} keeps the number index in step; instance {Instance} leaves it alone")]
    private static partial void LogHeldElsewhere(ILogger logger, string holder, string instance);

    [LoggerMessage(LogLevel.Warning, "Scaling: the number index lock lease was lost during a pass; another instance may start one")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Scaling: the number index lock is unavailable ({Reason}); this instance syncs on its own")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
