using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// The long-lived ARI events socket, <c>/ari/events?app=…&amp;subscribeAll=true</c>: connects, reads,
/// parses, hands the events to an <see cref="IAriEventHandler"/> and reconnects with backoff until
/// cancelled (the lifecycle, backoff and health data are <see cref="AsteriskConnection"/>'s).
/// </summary>
/// <remarks>
/// <para>Ordering: per connection, <see cref="IAriEventHandler.OnConnectedAsync"/> completes before
/// the first event of that connection is delivered; events follow in the order Asterisk sent
/// them; the calls never overlap, and every event of a dropped connection is delivered before the
/// next connection's <see cref="IAriEventHandler.OnConnectedAsync"/>.</para>
/// <para>The socket is read while the handler works (a bounded queue in between): Asterisk drops a
/// client whose socket stops taking writes, so a long resync or a slow handler must not stall reads.</para>
/// <para>This file opens and runs one connection; the socket read loop is in
/// AriEventStream.Receive.cs, framing in <see cref="AriMessageAssembler"/>, parsing in <see cref="AriEventParser"/>.</para>
/// </remarks>
public sealed partial class AriEventStream : AsteriskConnection
{
    private const int QueueCapacity = 10_000;

    private readonly AriClientOptions _options;
    private readonly IAriEventHandler _handler;
    private readonly ILogger _logger;
    private readonly AriEventParser _parser;
    private readonly Uri _eventsUrl;

    // What logs and exceptions show: never the api_key query.
    private readonly Uri _displayUrl;

    public AriEventStream(AriClientOptions options, IAriEventHandler handler, ILogger<AriEventStream>? logger = null, TimeProvider? timeProvider = null)
        : base(options?.Reconnect, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Application, "options.Application");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxMessageBytes, 256 * 1024 * 1024, "options.MaxMessageBytes");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConnectTimeout, TimeSpan.Zero, "options.ConnectTimeout");
        ThrowIfNegative(options.KeepAliveInterval, "options.KeepAliveInterval");
        ThrowIfNegative(options.KeepAliveTimeout, "options.KeepAliveTimeout");
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger<AriEventStream>.Instance;
        _parser = new AriEventParser([.. options.EventTypes ?? AriEventParser.TypedEvents, "ApplicationReplaced"]);
        _eventsUrl = AriEndpoints.Events(options, withApiKey: true);
        _displayUrl = AriEndpoints.Events(options, withApiKey: false);
    }

    private readonly record struct ConnectionOutcome(bool Replaced, string Reason);

    /// <summary>One connection from connect to drop. Throws for anything that should count as a failed attempt.</summary>
    protected override async Task<SessionEnd> RunSessionAsync(CancellationToken cancellationToken)
    {
        using var socket = CreateSocket();
        await ConnectAsync(socket, cancellationToken).ConfigureAwait(false);
        SessionOpened();
        var outcome = await RunConnectedAsync(socket, cancellationToken).ConfigureAwait(false);
        return outcome.Replaced
            ? SessionEnd.ReplacedBy($"another client took over application {_options.Application}")
            : SessionEnd.Lost(outcome.Reason);
    }

    private ClientWebSocket CreateSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true; // to tell a 401 from other failed upgrades
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
        socket.Options.AddSubProtocol("ari");
        if (!_options.UseApiKeyQuery)
        {
            socket.Options.SetRequestHeader("Authorization", AriEndpoints.BasicAuthorization(_options).ToString());
        }
        return socket;
    }

    private async Task ConnectAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(_eventsUrl, linked.Token).ConfigureAwait(false);
        }
        catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.Unauthorized)
        {
            throw new AsteriskAuthenticationException($"Asterisk refused the credentials of ARI user '{_options.Username}' at {_displayUrl} (HTTP 401).");
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no WebSocket upgrade within {_options.ConnectTimeout.TotalSeconds:0.#} s"), ex);
        }
    }

    /// <summary>Resync, then deliver events until the socket ends. Returns why it ended.</summary>
    private async Task<ConnectionOutcome> RunConnectedAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<AriEvent>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stopReceiving = new CancellationTokenSource();
        var receiving = ReceiveAsync(socket, queue.Writer, stopReceiving.Token);
        try
        {
            try
            {
                await _handler.OnConnectedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new AriConnectionLostException($"the event handler's OnConnectedAsync failed: {Describe(ex)}", ex);
            }
            await DispatchAsync(queue.Reader, cancellationToken).ConfigureAwait(false);
            try
            {
                return await receiving.ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return new ConnectionOutcome(Replaced: false, Describe(ex));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await stopReceiving.CancelAsync().ConfigureAwait(false);
            await ((Task)receiving).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DispatchAsync(ChannelReader<AriEvent> events, CancellationToken cancellationToken)
    {
        await foreach (var evt in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _handler.OnEventAsync(evt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(ex, evt.Type);
            }
        }
    }

    protected override void ReportConnected(int failedAttempts)
    {
        if (failedAttempts > 0)
        {
            LogReconnected(_displayUrl, _options.Application, failedAttempts);
        }
        else
        {
            LogConnected(_displayUrl, _options.Application);
        }
    }

    protected override void ReportRetrying(int attempt, string reason, TimeSpan delay) => LogRetrying(_displayUrl, attempt, reason, delay);

    protected override void ReportLost(TimeSpan uptime, string reason) => LogConnectionLost(_displayUrl, uptime, reason);

    protected override void ReportAuthenticationFailed(string reason, TimeSpan delay) => LogAuthenticationFailed(_options.Username, _displayUrl, delay);

    // Zero turns keep-alive off and Infinite is what ClientWebSocket itself uses for "off": both fine.
    private static void ThrowIfNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be zero (off), positive, or infinite.");
        }
    }

    /// <summary>The connection ended in a way that should count as a failed attempt.</summary>
    private sealed class AriConnectionLostException(string message, Exception? inner = null) : Exception(message, inner);
}
