using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

internal static partial class RedisSubscriptions
{
    /// <summary>
    /// Subscribes, retrying while Redis is away; once subscribed, the connection renews the subscription
    /// after every reconnect. Messages are handled one at a time in the order they were published.
    /// </summary>
    public static async Task SubscribeAsync(RedisConnection redis, RedisChannel channel, Action<ChannelMessage> handler, ILogger logger, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!redis.IsConnected)
            {
                // Not while Redis is away: a subscription made then could be renewed at the reconnect besides this retry's.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            try
            {
                var queue = await redis.Multiplexer.GetSubscriber().SubscribeAsync(channel);
                queue.OnMessage(message =>
                {
                    try
                    {
                        handler(message);
                    }
                    catch (Exception e)
                    {
                        LogMessageFailed(logger, channel.ToString(), e);
                    }
                });
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (failures++ == 0)
                {
                    LogSubscribeFailed(logger, channel.ToString(), e.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(failures, 5)), cancellationToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Scaling: cannot subscribe to {Channel} yet ({Reason}); retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(LogLevel.Error, "Scaling: a message on {Channel} could not be handled; skipped")]
    private static partial void LogMessageFailed(ILogger logger, string channel, Exception exception);
}
