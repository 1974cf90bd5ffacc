using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Calls;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Sources;

/// <summary>
/// Follows Asterisk's ARI events socket and feeds the call tracker. After every (re)connect it
/// resyncs from <c>GET /channels</c> before any event of the new socket is applied, so calls that
/// started while it was away appear and calls that ended are closed.
/// </summary>
public sealed partial class AriCallSource(
    IOptions<AriSourceOptions> options,
    MonitoredExtensions monitored,
    CallTrackerService tracker,
    IHttpClientFactory httpClients,
    ILoggerFactory loggers,
    TimeProvider time) : AsteriskCallSource<AriEventStream>(CallSource.Ari, tracker, time), IAriEventHandler
{
    private readonly AriCallFacts _facts = new(monitored);
    private readonly ILogger _logger = loggers.CreateLogger<AriCallSource>();
    private AriRestClient? _rest;

    public override bool Enabled => options.Value.Enabled;

    public override string Target =>
        $"{new UriBuilder(options.Value.BaseUrl) { UserName = "", Password = "" }.Uri} as {options.Value.Username}, application {options.Value.Application}";

    protected override AriEventStream CreateConnection()
    {
        var settings = options.Value;
        LogStarting(_logger, settings.BaseUrl, settings.Application, string.Join(",", monitored.All));
        _rest = new AriRestClient(httpClients.CreateClient(nameof(AriCallSource)), settings);
        return new AriEventStream(settings, this, loggers.CreateLogger<AriEventStream>(), Time);
    }

    public async ValueTask OnConnectedAsync(CancellationToken cancellationToken)
    {
        var channels = await _rest!.GetChannelsAsync(cancellationToken);
        var linkedIds = await LinkedIdsAsync(_facts.LegIds(channels), cancellationToken);
        var legs = _facts.Resync(channels, Time.GetUtcNow(), linkedIds.GetValueOrDefault);
        PostResync(legs);
        LogResynced(_logger, channels.Count, legs.Count);
    }

    /// <summary>
    /// ARI's channel JSON has no linkedid, so a resync asks for it per leg (a handful at most): with it a
    /// leg joins exactly the call AMI and the live events give it. A leg whose answer fails keeps the snapshot's guess.
    /// </summary>
    private async Task<Dictionary<string, string>> LinkedIdsAsync(IEnumerable<string> legIds, CancellationToken cancellationToken)
    {
        var linkedIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in legIds)
        {
            try
            {
                if (await _rest!.GetChannelVariableAsync(id, "CHANNEL(linkedid)", cancellationToken) is { Length: > 0 } linked)
                {
                    linkedIds[id] = linked;
                }
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
            {
                LogLinkedIdFailed(_logger, id, e.Message);
            }
        }
        return linkedIds;
    }

    public ValueTask OnEventAsync(AriEvent evt, CancellationToken cancellationToken)
    {
        PostFacts(evt, _facts.Map);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "ARI: following {BaseUrl} as application {Application} for extensions {Extensions}")]
    private static partial void LogStarting(ILogger logger, Uri baseUrl, string application, string extensions);

    [LoggerMessage(LogLevel.Warning, "ARI: could not read the linkedid of channel {ChannelId} ({Reason}); its call is taken from the snapshot")]
    private static partial void LogLinkedIdFailed(ILogger logger, string channelId, string reason);

    [LoggerMessage(LogLevel.Information, "ARI: resynced from {Channels} channels, {Legs} ringing or answered legs of monitored extensions")]
    private static partial void LogResynced(ILogger logger, int channels, int legs);
}
