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
/// cancelled. <see cref="State"/>, <see cref="ConnectedSince"/> and <see cref="LastEventAt"/> are for health checks.
/// </summary>
/// <remarks>
/// <para>Ordering: per connection, <see cref="IAriEventHandler.OnConnectedAsync"/> completes before
/// the first event of that connection is delivered; events follow in the order Asterisk sent
/// them; the calls never overlap, and every event of a dropped connection is delivered before the
/// next connection's <see cref="IAriEventHandler.OnConnectedAsync"/>.</para>
/// <para>The socket is read while the handler works (a bounded queue in between): Asterisk drops a
/// client whose socket stops taking writes, so a long resync or a slow handler must not stall reads.</para>
/// <para>This file holds the lifecycle and reconnect policy; the socket read loop is in
/// AriEventStream.Receive.cs, framing in <see cref="AriMessageAssembler"/>, parsing in <see cref="AriEventParser"/>.</para>
/// </remarks>
public sealed partial class AriEventStream
{
    // A session shorter than this counts as a failed attempt, so a PBX that accepts and drops at
    // once meets growing backoff; after a longer one the backoff starts again from zero.
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(10);

    private const int QueueCapacity = 10_000;

    private readonly AriClientOptions _options;
    private readonly IAriEventHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AriEventParser _parser;
    private readonly Uri _eventsUrl;

    // What logs and exceptions show: never the api_key query.
    private readonly Uri _displayUrl;

    private volatile AriConnectionState _state;
    private long _connectedSinceTicks;
    private long _lastEventTicks;
    private int _running;
    private int _failedAttempts;
    private LastError? _lastError;
    private int _sessions;

    public AriEventStream(AriClientOptions options, IAriEventHandler handler, ILogger<AriEventStream>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Application, "options.Application");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxMessageBytes, 256 * 1024 * 1024, "options.MaxMessageBytes");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConnectTimeout, TimeSpan.Zero, "options.ConnectTimeout");
        ThrowIfNegative(options.KeepAliveInterval, "options.KeepAliveInterval");
        ThrowIfNegative(options.KeepAliveTimeout, "options.KeepAliveTimeout");
        ArgumentNullException.ThrowIfNull(options.Reconnect, "options.Reconnect");
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger<AriEventStream>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _parser = new AriEventParser([.. options.EventTypes ?? AriEventParser.TypedEvents, "ApplicationReplaced"]);
        _eventsUrl = AriEndpoints.Events(options, withApiKey: true);
        _displayUrl = AriEndpoints.Events(options, withApiKey: false);
    }

    public AriConnectionState State => _state;

    /// <summary>When the current connection opened; null while not connected.</summary>
    public DateTimeOffset? ConnectedSince => FromTicks(Interlocked.Read(ref _connectedSinceTicks));

    /// <summary>When the last frame arrived, wanted or not: the socket's sign of life.</summary>
    public DateTimeOffset? LastEventAt => FromTicks(Interlocked.Read(ref _lastEventTicks));

    /// <summary>
    /// Why the last attempt failed or the last connection ended (as logged: the URL without the
    /// <c>api_key</c>, never the password), and when; null until something went wrong.
    /// </summary>
    public LastError? LastError => Volatile.Read(ref _lastError);

    /// <summary>How many connections have opened so far: more than one means reconnects.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>
    /// Connects and keeps connected until <paramref name="cancellationToken"/> fires (then throws
    /// <see cref="OperationCanceledException"/>), or until another client takes over the application
    /// name (then completes, with <see cref="State"/> = <see cref="AriConnectionState.Replaced"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This AriEventStream is already running.");
        }
        var pipeline = ReconnectPipeline.Create(_options.Reconnect, OnRetry, _time);
        try
        {
            while (true)
            {
                try
                {
                    var end = await pipeline.ExecuteAsync(RunSessionAsync, cancellationToken).ConfigureAwait(false);
                    if (end == SessionEnd.Replaced)
                    {
                        return;
                    }
                }
                catch (AsteriskAuthenticationException e)
                {
                    // Not retried by the pipeline: a fast loop cannot fix a password and may trip fail2ban.
                    _failedAttempts++;
                    SetState(AriConnectionState.AuthenticationFailed);
                    RecordError(e.Message);
                    LogAuthenticationFailed(_options.Username, _displayUrl, _options.Reconnect.AuthFailureDelay);
                    await Task.Delay(_options.Reconnect.AuthFailureDelay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (_state != AriConnectionState.Replaced)
            {
                SetState(AriConnectionState.Disconnected);
            }
            Volatile.Write(ref _running, 0);
        }
    }

    private enum SessionEnd
    {
        /// <summary>A stable connection ended; reconnect at once with a fresh backoff.</summary>
        Dropped,

        Replaced,
    }

    private readonly record struct ConnectionOutcome(bool Replaced, string Reason);

    /// <summary>One connection from connect to drop. Throws for anything that should count as a failed attempt.</summary>
    private async ValueTask<SessionEnd> RunSessionAsync(CancellationToken cancellationToken)
    {
        try
        {
            SetState(AriConnectionState.Connecting);
            using var socket = CreateSocket();
            await ConnectAsync(socket, cancellationToken).ConfigureAwait(false);

            var connectedAt = _time.GetUtcNow();
            Interlocked.Exchange(ref _connectedSinceTicks, connectedAt.UtcTicks);
            Interlocked.Increment(ref _sessions);
            SetState(AriConnectionState.Connected);
            if (_failedAttempts > 0)
            {
                LogReconnected(_displayUrl, _options.Application, _failedAttempts);
                _failedAttempts = 0;
            }
            else
            {
                LogConnected(_displayUrl, _options.Application);
            }

            try
            {
                var outcome = await RunConnectedAsync(socket, cancellationToken).ConfigureAwait(false);
                if (outcome.Replaced)
                {
                    SetState(AriConnectionState.Replaced);
                    RecordError($"another client took over application {_options.Application}");
                    return SessionEnd.Replaced;
                }
                SetState(AriConnectionState.Disconnected);
                var uptime = _time.GetUtcNow() - connectedAt;
                if (uptime < StableSession)
                {
                    throw new AriConnectionLostException(string.Create(CultureInfo.InvariantCulture, $"connection lost after {uptime.TotalSeconds:0.0} s: {outcome.Reason}"));
                }
                LogConnectionLost(_displayUrl, uptime, outcome.Reason);
                RecordError("connection lost: " + outcome.Reason);
                return SessionEnd.Dropped;
            }
            finally
            {
                Interlocked.Exchange(ref _connectedSinceTicks, 0);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The pipeline treats every OperationCanceledException as "stop"; only our token may stop the stream.
            throw new TimeoutException(ex.Message, ex);
        }
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
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
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

    private void OnRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        _failedAttempts++;
        SetState(AriConnectionState.Disconnected);
        RecordError(exception is null ? "unknown" : Describe(exception));
        LogRetrying(_displayUrl, attempt, exception is null ? "unknown" : Describe(exception), delay);
    }

    private void SetState(AriConnectionState state) => _state = state;

    private void RecordError(string message) => Volatile.Write(ref _lastError, new LastError(message, _time.GetUtcNow()));

    private void MarkFrameReceived() => Interlocked.Exchange(ref _lastEventTicks, _time.GetUtcNow().UtcTicks);

    // Zero turns keep-alive off and Infinite is what ClientWebSocket itself uses for "off": both fine.
    private static void ThrowIfNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be zero (off), positive, or infinite.");
        }
    }

    private static DateTimeOffset? FromTicks(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

    /// <summary>The message plus its root cause: "Unable to connect to the remote server (Connection refused)".</summary>
    private static string Describe(Exception exception)
    {
        var root = exception.GetBaseException();
        return exception.Message.Contains(root.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({root.Message})";
    }

    /// <summary>The connection ended in a way that should count as a failed attempt.</summary>
    private sealed class AriConnectionLostException(string message, Exception? inner = null) : Exception(message, inner);
}
