using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Calls;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Sources;

/// <summary>
/// Follows Asterisk's Manager Interface and feeds the call tracker, for PBXs where ARI is off
/// (Issabel, many FreePBX installs). After every (re)login it resyncs from CoreShowChannels before
/// any event of the new session is applied. With ARI on as well, both report the same channel ids
/// and the tracker counts each call once.
/// </summary>
public sealed partial class AmiCallSource(
    IOptions<AmiSourceOptions> options,
    MonitoredExtensions monitored,
    CallTrackerService tracker,
    ILoggerFactory loggers,
    TimeProvider time) : AsteriskCallSource<AmiConnection>(CallSource.Ami, tracker, time), IAmiEventHandler
{
    private readonly AmiCallFacts _facts = new(monitored);
    private readonly ILogger _logger = loggers.CreateLogger<AmiCallSource>();

    public override bool Enabled => options.Value.Enabled;

    public override string Target => $"{options.Value.Host}:{options.Value.Port} as {options.Value.Username}";

    protected override AmiConnection CreateConnection()
    {
        var settings = options.Value;
        LogStarting(_logger, settings.Host, settings.Port, settings.Username, string.Join(",", monitored.All));
        return new AmiConnection(settings, this, loggers.CreateLogger<AmiConnection>(), Time);
    }

    public async ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken)
    {
        var channels = await connection.SendEventListActionAsync(new AmiAction("CoreShowChannels"), cancellationToken);
        var legs = _facts.Resync(channels, Time.GetUtcNow());
        PostResync(legs);
        LogResynced(_logger, channels.Count(c => c.EventName == "CoreShowChannel"), legs.Count);
    }

    public ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken)
    {
        PostFacts(message, _facts.Map);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "AMI: following {Host}:{Port} as {Username} for extensions {Extensions}")]
    private static partial void LogStarting(ILogger logger, string host, int port, string username, string extensions);

    [LoggerMessage(LogLevel.Information, "AMI: resynced from {Channels} channels, {Legs} ringing or answered legs of monitored extensions")]
    private static partial void LogResynced(ILogger logger, int channels, int legs);
}
