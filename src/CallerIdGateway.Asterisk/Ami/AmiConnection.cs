using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// A long-lived AMI client. <see cref="RunAsync"/> connects, logs in, calls
/// <see cref="IAmiEventHandler.OnConnectedAsync"/>, then delivers events until the session
/// drops, and starts over (backoff with jitter through <see cref="ReconnectPipeline"/>) until
/// cancelled. Actions can be sent whenever a session is up; replies are matched by ActionID.
/// </summary>
/// <remarks>
/// <para>Ordering, per session: OnConnectedAsync runs first and alone; events that arrive while
/// it runs (during a CoreShowChannels resync, say) are buffered and delivered when it returns, in
/// the order Asterisk sent them, one at a time; the events of a dropped session are all delivered
/// before the next session's OnConnectedAsync. Some buffered events may predate the snapshot the
/// handler just took, so the consumer must apply them idempotently.</para>
/// <para>The socket is read while the handler works, through a queue of 10,000 events. If a stuck
/// handler fills it, reading pauses: Pongs stop arriving, the session is dropped, and the next
/// one resyncs.</para>
/// </remarks>
public sealed class AmiConnection
{
    private readonly AmiClientOptions _options;
    private readonly IAmiEventHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AmiEventFilter _filter;
    private AmiSession? _session;
    private long _actionCounter;
    private int _state;
    private int _running;
    private long _connectedSinceTicks;
    private long _lastEventTicks;
    private string? _amiVersion;
    private LastError? _lastError;
    private int _sessions;

    public AmiConnection(AmiClientOptions options, IAmiEventHandler handler, ILogger<AmiConnection>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _filter = new AmiEventFilter(options.WantedEvents);
    }

    public AmiConnectionState State => (AmiConnectionState)Volatile.Read(ref _state);

    /// <summary>The version in the banner of the current (or last) session, like <c>11.0.0</c> for Asterisk 22.</summary>
    public string? AmiVersion => Volatile.Read(ref _amiVersion);

    /// <summary>When the current session logged in; null while not connected.</summary>
    public DateTimeOffset? ConnectedSince => FromTicks(Volatile.Read(ref _connectedSinceTicks));

    /// <summary>When the last event arrived (of any session); null before the first.</summary>
    public DateTimeOffset? LastEventAt => FromTicks(Volatile.Read(ref _lastEventTicks));

    /// <summary>
    /// Why the last attempt failed or the last session ended (the reason as logged: host and port,
    /// never the secret), and when; null until something went wrong.
    /// </summary>
    public LastError? LastError => Volatile.Read(ref _lastError);

    /// <summary>How many sessions have logged in so far: more than one means reconnects.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Sends an action and returns its response.</summary>
    /// <exception cref="AmiActionException">Asterisk answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">No session, or it dropped before the answer.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="AmiClientOptions.ActionTimeout"/>.</exception>
    public Task<AmiMessage> SendActionAsync(AmiAction action, CancellationToken cancellationToken = default) =>
        CurrentSession().SendActionAsync(action, cancellationToken);

    /// <summary>
    /// Sends an action that answers with an event list (CoreShowChannels, QueueStatus…) and
    /// returns the listed events, without the closing <c>…Complete</c> event.
    /// </summary>
    /// <exception cref="AmiActionException">Asterisk answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">No session, or it dropped before the list was complete.</exception>
    /// <exception cref="TimeoutException">The list was not complete within <see cref="AmiClientOptions.ActionTimeout"/>.</exception>
    public Task<IReadOnlyList<AmiMessage>> SendEventListActionAsync(AmiAction action, CancellationToken cancellationToken = default) =>
        CurrentSession().SendEventListActionAsync(action, cancellationToken);

    /// <summary>
    /// Sends an action whose outcome comes later as an event with the same ActionID, such as
    /// <c>Originate</c> with <c>Async: true</c> and its <c>OriginateResponse</c>, and returns that
    /// event. The session's <see cref="AmiClientOptions.EventMask"/> and the user's <c>read=</c> must
    /// let the event through (<c>call</c> for OriginateResponse).
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="completionEvent">The event that ends it, e.g. <c>OriginateResponse</c>.</param>
    /// <param name="timeout">How long to wait for the response and the event together (an Originate: longer than its ring timeout).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="AmiActionException">Asterisk answered <c>Response: Error</c>.</exception>
    /// <exception cref="AmiConnectionException">No session, or it dropped before the event.</exception>
    /// <exception cref="TimeoutException">No response and event within <paramref name="timeout"/>.</exception>
    public Task<AmiMessage> SendActionAwaitingEventAsync(AmiAction action, string completionEvent, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(completionEvent);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return CurrentSession().SendActionAwaitingEventAsync(action, completionEvent, timeout, cancellationToken);
    }

    /// <summary>
    /// Keeps a session up until <paramref name="cancellationToken"/> is cancelled; then logs off
    /// and throws <see cref="OperationCanceledException"/> (as the ARI event stream does).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This AmiConnection is already running.");
        }
        try
        {
            var pipeline = ReconnectPipeline.Create(_options.Reconnect, LogRetry, _time);
            while (true)
            {
                try
                {
                    await pipeline.ExecuteAsync(RunSessionAsync, cancellationToken).ConfigureAwait(false);
                }
                catch (AsteriskAuthenticationException e)
                {
                    // Not retried by the pipeline: one line, then a long pause (fail2ban, an admin fixing manager.conf).
                    SetState(AmiConnectionState.AuthenticationFailed);
                    RecordError(e.Message);
                    AmiLog.AuthenticationFailed(_logger, e.Message, _options.Reconnect.AuthFailureDelay);
                    await Task.Delay(_options.Reconnect.AuthFailureDelay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            SetState(AmiConnectionState.Disconnected);
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// One session, connect to drop. Returns normally after a session that lived at least
    /// <see cref="ReconnectOptions.MaxDelay"/>, so the next one starts without delay and with a
    /// fresh backoff; throws after a short-lived one, so the pipeline keeps backing off and a
    /// PBX that accepts and drops at once is not hammered.
    /// </summary>
    private async ValueTask RunSessionAsync(CancellationToken cancellationToken)
    {
        SetState(AmiConnectionState.Connecting);
        AmiSession session;
        try
        {
            session = await AmiSession.OpenAsync(_options, _filter, NextActionId, OnEventReceived, _logger, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AsteriskAuthenticationException)
        {
            SetState(AmiConnectionState.Disconnected);
            throw;
        }

        var connectedAt = _time.GetUtcNow();
        AmiConnectionException lost;
        await using (session.ConfigureAwait(false))
        {
            Volatile.Write(ref _amiVersion, session.AmiVersion);
            Volatile.Write(ref _connectedSinceTicks, connectedAt.UtcTicks);
            Volatile.Write(ref _session, session);
            Interlocked.Increment(ref _sessions);
            SetState(AmiConnectionState.Connected);
            AmiLog.Connected(_logger, session.AmiVersion, _options.Host, _options.Port, _options.Username);
            try
            {
                lost = await DeliverAsync(session, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await session.LogoffAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                Volatile.Write(ref _session, null);
                Volatile.Write(ref _connectedSinceTicks, 0);
                SetState(AmiConnectionState.Disconnected);
            }
        }

        AmiLog.ConnectionLost(_logger, _options.Host, _options.Port, lost.Message);
        RecordError(lost.Message);
        var lifetime = _time.GetUtcNow() - connectedAt;
        if (lifetime < _options.Reconnect.MaxDelay)
        {
            throw new AmiConnectionException($"the last session lasted only {lifetime.TotalSeconds:0.#} s", lost);
        }
    }

    /// <summary>Runs the handler for one session; returns why the session ended.</summary>
    private async Task<AmiConnectionException> DeliverAsync(AmiSession session, CancellationToken cancellationToken)
    {
        using (var sessionScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closed))
        {
            try
            {
                await _handler.OnConnectedAsync(this, sessionScope.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (session.Closed.IsCancellationRequested)
                {
                    return e as AmiConnectionException ?? new AmiConnectionException("The AMI session ended while OnConnected ran.", e);
                }
                AmiLog.OnConnectedFailed(_logger, e);
                return new AmiConnectionException($"The OnConnected handler failed: {e.Message}", e);
            }
        }

        try
        {
            // After the session ends, what it had buffered is still delivered; then this throws the reason.
            await foreach (var message in session.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _handler.OnEventAsync(message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    AmiLog.OnEventFailed(_logger, message.EventName, e);
                }
            }
        }
        catch (AmiConnectionException e)
        {
            return e;
        }
        return new AmiConnectionException("The AMI session ended.");
    }

    private AmiSession CurrentSession() =>
        Volatile.Read(ref _session) ?? throw new AmiConnectionException($"Not connected to AMI at {_options.Host}:{_options.Port}.");

    private string NextActionId() => _options.ActionIdPrefix + Interlocked.Increment(ref _actionCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void OnEventReceived() => Volatile.Write(ref _lastEventTicks, _time.GetUtcNow().UtcTicks);

    private void LogRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        RecordError(exception?.Message ?? "unknown error");
        AmiLog.Retrying(_logger, _options.Host, _options.Port, attempt, delay, exception?.Message ?? "unknown error");
    }

    private void RecordError(string message) => Volatile.Write(ref _lastError, new LastError(message, _time.GetUtcNow()));

    private void SetState(AmiConnectionState state) => Volatile.Write(ref _state, (int)state);

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
