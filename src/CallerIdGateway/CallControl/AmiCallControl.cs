using System.Globalization;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.CallControl;

/// <summary>
/// Call control over an AMI session of its own, logged in as the control user (<c>CallControl:Ami</c>)
/// at <c>Asterisk:Ami:Host</c>/<c>:Port</c>, never the watching session. Sends the actions exactly as
/// recorded from Asterisk 16 and 22 (tests/fixtures/asterisk/*/click-to-call-ami, hangup-ami, redirect-ami):
/// <c>Originate</c> with <c>Async: true</c> answered by <c>OriginateResponse</c>, <c>Hangup</c> and
/// <c>BlindTransfer</c> of the extension's channel.
/// </summary>
public sealed partial class AmiCallControl(
    IOptions<CallControlOptions> control,
    IOptions<AmiSourceOptions> ami,
    ILoggerFactory loggers,
    TimeProvider time) : BackgroundService, ICallControl, IAmiEventHandler
{
    // OriginateResponse comes when the agent's phone answers or gives up: give the PBX this much beyond the ring timeout.
    private static readonly TimeSpan OriginateMargin = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggers.CreateLogger<AmiCallControl>();
    private AmiConnection? _connection;

    public bool Enabled => control.Value is { Enabled: true, Source: CallControlSource.Ami };

    /// <summary>The control session, for health checks; null when AMI call control is off.</summary>
    public AmiConnection? Connection => _connection;

    public string? TransferUnsupportedReason => null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var settings = ami.Value;
        var user = control.Value.Ami;
        var client = new AmiClientOptions
        {
            Host = settings.Host,
            Port = settings.Port,
            Username = user.Username,
            Secret = user.Secret,
            // OriginateResponse is a "call" event: without it an async Originate never hears back.
            // Every other event is dropped unparsed.
            EventMask = "call",
            WantedEvents = new HashSet<string>(["OriginateResponse"], StringComparer.OrdinalIgnoreCase),
            // The watching session sees this session's OriginateResponse too: its ActionIDs must not look like ours.
            ActionIdPrefix = "cig-control-",
            Reconnect = settings.Reconnect,
        };
        _connection = new AmiConnection(client, this, loggers.CreateLogger<AmiConnection>(), time);
        LogStarting(_logger, settings.Host, settings.Port, user.Username);
        await _connection.RunAsync(stoppingToken);
    }

    public async Task<string> OriginateAsync(string endpoint, string number, string context, string callerId, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        var action = new AmiAction("Originate")
            .Add("Channel", endpoint)
            .Add("Context", context)
            .Add("Exten", number)
            .Add("Priority", "1")
            .Add("CallerID", callerId)
            .Add("Timeout", ((long)ringTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
            .Add("Async", "true");
        var outcome = await SendAsync(c => c.SendActionAwaitingEventAsync(action, "OriginateResponse", ringTimeout + OriginateMargin, cancellationToken));
        if (string.Equals(outcome["Response"], "Success", StringComparison.OrdinalIgnoreCase) && outcome["Uniqueid"] is { Length: > 0 } id && id != "<unknown>")
        {
            // On 22 this comes as the agent answers, on 16 just after: either way the channel is now the call.
            return id;
        }
        throw new CallControlException(StatusCodes.Status409Conflict, "The agent's phone did not take the call",
            $"{endpoint} {ReasonText(outcome["Reason"])} (OriginateResponse reason {outcome["Reason"] ?? "?"}); the number was not dialled.");
    }

    // A leg whose name no source reported (the dialplan hook's) is named by its Uniqueid: Asterisk's
    // channel lookup (ast_channel_get_by_name) tries the name, then the uniqueid.
    public async Task<bool> HangupAsync(CallLeg leg, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(c => c.SendActionAsync(new AmiAction("Hangup").Add("Channel", leg.Channel ?? leg.LegId), cancellationToken));
            return true;
        }
        catch (CallControlException e) when (e.InnerException is AmiActionException { Response: var response } && IsNoSuchChannel(response["Message"]))
        {
            return false;
        }
    }

    public async Task TransferAsync(CallLeg leg, string extension, string context, CancellationToken cancellationToken)
    {
        var action = new AmiAction("BlindTransfer").Add("Channel", leg.Channel ?? leg.LegId).Add("Context", context).Add("Exten", extension);
        try
        {
            await SendAsync(c => c.SendActionAsync(action, cancellationToken));
        }
        catch (CallControlException e) when (e.InnerException is AmiActionException { Response: var response })
        {
            var message = response["Message"] ?? "";
            throw IsNoSuchChannel(message)
                ? new CallControlException(StatusCodes.Status404NotFound, "The call has ended", $"{leg.Channel ?? leg.LegId} is gone.", e)
                // Transfer not permitted / invalid / failed: the channel is not in a two-party bridge (yet, or any more).
                : new CallControlException(StatusCodes.Status409Conflict, "The PBX cannot transfer this call now", $"Asterisk answered: {message}.", e);
        }
    }

    public ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private async Task<T> SendAsync<T>(Func<AmiConnection, Task<T>> send)
    {
        var settings = ami.Value;
        try
        {
            return await send(_connection ?? throw new AmiConnectionException("The control session has not started."));
        }
        catch (AmiConnectionException e)
        {
            throw new CallControlException(StatusCodes.Status503ServiceUnavailable, "The PBX cannot be reached",
                $"No AMI session of user '{control.Value.Ami.Username}' with {settings.Host}:{settings.Port}: {e.Message}", e);
        }
        catch (AmiActionException e) when (e.Response["Message"] is { } message && message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
        {
            throw new CallControlException(StatusCodes.Status502BadGateway, "The PBX refused the call-control user",
                $"AMI user '{control.Value.Ami.Username}' may not send {e.ActionName}: give it write=originate,call in manager.conf.", e);
        }
        catch (AmiActionException e)
        {
            throw new CallControlException(StatusCodes.Status502BadGateway, "The PBX refused the request", e.Message, e);
        }
        catch (TimeoutException e)
        {
            throw new CallControlException(StatusCodes.Status504GatewayTimeout, "The PBX did not answer in time", e.Message, e);
        }
    }

    // main/manager.c: Hangup answers "No such channel", BlindTransfer "Channel specified does not exist".
    private static bool IsNoSuchChannel(string? message) =>
        message is not null && (message.Contains("No such channel", StringComparison.OrdinalIgnoreCase) || message.Contains("does not exist", StringComparison.OrdinalIgnoreCase));

    // OriginateResponse's Reason is the control frame that ended the attempt (include/asterisk/frame.h).
    private static string ReasonText(string? reason) => reason switch
    {
        "1" => "hung up",
        "3" => "did not answer",
        "5" => "is busy",
        "8" => "is congested or unreachable",
        _ => "could not be called",
    };

    [LoggerMessage(LogLevel.Information, "Call control: AMI session to {Host}:{Port} as {Username}")]
    private static partial void LogStarting(ILogger logger, string host, int port, string username);
}
