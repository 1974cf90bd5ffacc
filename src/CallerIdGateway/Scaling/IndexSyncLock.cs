using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Lets one instance keep the number index in step (its passes write the shared
/// <c>gateway_phone_numbers</c>): a lease in Redis that the holder renews while it lives, so the
/// others leave the index alone, and take over within <see cref="RedisScalingOptions.IndexLockLease"/>
/// when the holder dies (at once when it stops). Without scaling, or while Redis is away, every
/// instance syncs on its own, as a single instance does.
/// </summary>
public sealed partial class IndexSyncLock(RedisConnection redis, IOptions<ScalingOptions> options, ILogger<IndexSyncLock> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _renewing;
    private volatile bool _held;
    private string? _lastHolder;

    private RedisKey Key => redis.Key("phone-index-lock");

    private TimeSpan Lease => options.Value.Redis.IndexLockLease;

    /// <summary>Who holds the lease: this process, by name for the log of the others.</summary>
    private string Holder => $"{redis.InstanceName}/{redis.Origin}";

    /// <summary>The instance that keeps the index in step when it is not this one (as last seen), else null.</summary>
    public string? HeldElsewhereBy => !_held && redis.Enabled && redis.IsConnected && _lastHolder != Holder ? _lastHolder : null;

    /// <summary>Whether this instance is the one to sync now; false while another instance holds the lease.</summary>
    public async Task<bool> IsMineAsync(CancellationToken cancellationToken)
    {
        if (!redis.Enabled || !redis.IsConnected)
        {
            return true;
        }
        try
        {
            var db = redis.Database;
            if (_held && await db.LockExtendAsync(Key, Holder, Lease))
            {
                return true;
            }
            _held = await db.LockTakeAsync(Key, Holder, Lease);
            if (_held)
            {
                Noticed(Holder, mine: true);
                _renewing ??= RenewAsync(_stop.Token);
                return true;
            }
            var holder = await db.StringGetAsync(Key);
            Noticed(holder.IsNull ? "another instance" : holder.ToString(), mine: false);
            return false;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
            return true;
        }
    }

    /// <summary>Renews the lease at a third of its length while held, also during the pauses between passes.</summary>
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Lease / 3, cancellationToken);
                if (_held && redis.IsConnected && !await redis.Database.LockExtendAsync(Key, Holder, Lease))
                {
                    _held = false;
                    LogLost(logger);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogUnavailable(logger, e.Message);
            }
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

    /// <summary>At shutdown the lease is given back, so another instance takes over at its next pass.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_renewing is not null)
        {
            await _renewing;
        }
        if (_held && redis.IsConnected)
        {
            try
            {
                await redis.Database.LockReleaseAsync(Key, Holder);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The lease runs out by itself.
            }
        }
        _stop.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Scaling: instance {Instance} keeps the number index in step now")]
    private static partial void LogTaken(ILogger logger, string instance);

    [LoggerMessage(LogLevel.Information, "Scaling: {Holder} keeps the number index in step; instance {Instance} leaves it alone")]
    private static partial void LogHeldElsewhere(ILogger logger, string holder, string instance);

    [LoggerMessage(LogLevel.Warning, "Scaling: the number index lease was lost (Redis was away longer than Scaling:Redis:IndexLockLease); another instance may take over")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Scaling: the number index lock is unavailable ({Reason}); this instance syncs on its own")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
