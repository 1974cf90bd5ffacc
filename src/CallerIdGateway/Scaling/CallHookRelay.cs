using CallerIdGateway.Sources;
using System.Text.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.Dialplan;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Dialplan hook reports reach one instance; this hands each to the others, which turn it into the
/// same facts (with the receiving instance's timestamp) for their own trackers, so dashboards on every
/// instance see the call. Facts are idempotent, so a report that also came over ARI/AMI changes nothing twice.
/// </summary>
public sealed partial class CallHookRelay(RedisConnection redis, MonitoredExtensions monitored, CallTrackerService tracker, ILogger<CallHookRelay> logger)
    : BackgroundService
{
    private RedisChannel Channel => RedisChannel.Literal(redis.Key("call-hooks"));

    /// <summary>Hands a report this instance accepted to the other instances (nothing when scaling is off or Redis is away).</summary>
    public void Publish(CallHookEvent kind, CallHookReport report, DateTimeOffset at)
    {
        if (!redis.Enabled || !redis.IsConnected)
        {
            return;
        }
        var message = JsonSerializer.Serialize(new RelayedReport(redis.Origin, kind, at, report));
        _ = PublishAsync(message);
    }

    private async Task PublishAsync(string message)
    {
        try
        {
            await redis.Multiplexer.GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, e.Message);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        redis.Enabled ? RedisSubscriptions.SubscribeAsync(redis, Channel, OnMessage, logger, stoppingToken) : Task.CompletedTask;

    private void OnMessage(ChannelMessage message)
    {
        var relayed = JsonSerializer.Deserialize<RelayedReport>(message.Message.ToString());
        if (relayed is null || relayed.Origin == redis.Origin)
        {
            return;
        }
        var (facts, errors) = CallHookFacts.Create(relayed.Kind, relayed.Report, monitored, relayed.At);
        if (errors is not null)
        {
            LogNotUsable(logger, relayed.Kind, string.Join("; ", errors.SelectMany(e => e.Value)));
            return;
        }
        foreach (var fact in facts)
        {
            tracker.Post(fact);
        }
    }

    private sealed record RelayedReport(string Origin, CallHookEvent Kind, DateTimeOffset At, CallHookReport Report);

    [LoggerMessage(LogLevel.Warning, "Scaling: a dialplan report could not be handed to the other instances ({Reason}); their dashboards learn of it from ARI/AMI or not at all")]
    private static partial void LogPublishFailed(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Scaling: a {Event} report from another instance does not fit this one's settings: {Errors} (are Gateway:MonitoredExtensions the same on every instance?)")]
    private static partial void LogNotUsable(ILogger logger, CallHookEvent @event, string errors);
}
