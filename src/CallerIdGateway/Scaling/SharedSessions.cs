using System.Globalization;
using CallerIdGateway.Auth;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Sign-outs seen by every instance: a session ended on one is refused by all, and its hub
/// connections close wherever they are. Kept in a sorted set (scored by when the last copy of the
/// cookie expires) that an instance reads at start and after an outage, and announced on a channel.
/// </summary>
internal sealed partial class SharedSessions(RedisConnection redis, Sessions sessions, TimeProvider time, ILogger<SharedSessions> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly List<(string Session, DateTimeOffset Until)> _unshared = [];

    private RedisKey SetKey => redis.Key("sessions-ended");

    private RedisChannel Channel => RedisChannel.Literal(redis.Key("sessions-ended"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sessions.SessionEnded += OnSessionEnded;
        redis.Restored += () => _ = Task.Run(() => ShareAndLoadAsync(CancellationToken.None), CancellationToken.None);
        await RedisSubscriptions.SubscribeAsync(redis, Channel, OnMessage, logger, stoppingToken);
        await ShareAndLoadAsync(stoppingToken);
    }

    private void OnSessionEnded(string session, DateTimeOffset until)
    {
        lock (_lock)
        {
            _unshared.Add((session, until));
        }
        _ = Task.Run(() => ShareAndLoadAsync(CancellationToken.None), CancellationToken.None);
    }

    private void OnMessage(ChannelMessage message)
    {
        var parts = message.Message.ToString().Split('\n');
        if (parts.Length == 3 && parts[0] != redis.Origin
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var until))
        {
            sessions.Revoke(parts[1], DateTimeOffset.FromUnixTimeMilliseconds(until));
        }
    }

    /// <summary>Stores and announces this instance's sign-outs, then applies everyone's (at start and after an outage).</summary>
    private async Task ShareAndLoadAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            (string Session, DateTimeOffset Until)[] unshared;
            lock (_lock)
            {
                unshared = [.. _unshared];
            }
            var db = redis.Database;
            foreach (var (session, until) in unshared)
            {
                await db.SortedSetAddAsync(SetKey, session, until.ToUnixTimeMilliseconds());
                await redis.Multiplexer.GetSubscriber().PublishAsync(Channel, $"{redis.Origin}\n{session}\n{until.ToUnixTimeMilliseconds()}");
                lock (_lock)
                {
                    _unshared.Remove((session, until));
                }
            }
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.SortedSetRemoveRangeByScoreAsync(SetKey, double.NegativeInfinity, now);
            foreach (var entry in await db.SortedSetRangeByScoreWithScoresAsync(SetKey, now, double.PositiveInfinity))
            {
                cancellationToken.ThrowIfCancellationRequested();
                sessions.Revoke(entry.Element.ToString(), DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogShareFailed(logger, e.Message); // kept in _unshared: the reconnect tries again
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        sessions.SessionEnded -= OnSessionEnded;
        return base.StopAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Scaling: cannot share sign-outs through Redis ({Reason}); they hold on this instance and are shared when Redis answers")]
    private static partial void LogShareFailed(ILogger logger, string reason);
}
