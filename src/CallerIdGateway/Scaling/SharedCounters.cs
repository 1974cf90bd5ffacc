using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Counters that every instance adds to (the sign-in throttle), each living for a window from its
/// first count. Null answers mean "not shared now" (scaling off, or Redis away): the caller then
/// counts on its own, as a single instance does.
/// </summary>
public sealed partial class SharedCounters(RedisConnection redis, ILogger<SharedCounters> logger)
{
    // One round trip, atomic: the window starts with the first count and is not stretched by later ones.
    private const string IncrementScript = """
        local count = redis.call('INCR', KEYS[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return { count, redis.call('PTTL', KEYS[1]) }
        """;

    // Only a counter that still lives: a decrement must not make a key without a window.
    private const string DecrementScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
        return 0
        """;

    /// <summary>Adds one to counter <paramref name="name"/>; its count and how long its window has left, or null when not shared.</summary>
    public (long Count, TimeSpan Left)? Increment(string name, TimeSpan window)
    {
        if (!redis.Enabled || !redis.IsConnected)
        {
            return null;
        }
        try
        {
            var result = (RedisResult[])redis.Database.ScriptEvaluate(IncrementScript, [redis.Key(name)], [(long)window.TotalMilliseconds])!;
            return ((long)result[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
            return null;
        }
    }

    /// <summary>Takes one back (an attempt that did not count after all).</summary>
    public void Decrement(string name) => Try(db => db.ScriptEvaluate(DecrementScript, [redis.Key(name)]));

    public void Remove(string name) => Try(db => db.KeyDelete(redis.Key(name)));

    private void Try(Action<IDatabase> action)
    {
        if (!redis.Enabled || !redis.IsConnected)
        {
            return;
        }
        try
        {
            action(redis.Database);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogUnavailable(logger, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Scaling: shared counters unavailable ({Reason}); this instance counts sign-in attempts on its own")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
