using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// A long-lived AMI client. <see cref="RunAsync"/> connects, logs in, calls
/// <see cref="IAmiEventHandler.OnConnectedAsync"/>, then delivers events until the session
/// drops, and starts over (the lifecycle, backoff and health data are <see cref="AsteriskConnection"/>'s)
/// until cancelled. Actions can be sent whenever a session is up; replies are matched by ActionID.
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
public sealed class AmiConnection : AsteriskConnection
{
    private readonly AmiClientOptions _options;
    private readonly IAmiEventHandler _handler;
    private readonly ILogger _logger;
    private readonly AmiEventFilter _filter;
    private AmiSession? _session;
    private long _actionCounter;
    private string? _amiVersion;

    public AmiConnection(AmiClientOptions options, IAmiEventHandler handler, ILogger<AmiConnection>? logger = null, TimeProvider? timeProvider = null)
        : base(options?.Reconnect, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _filter = new AmiEventFilter(options.WantedEvents);
    }

    /// <summary>The version in the banner of the current (or last) session, like <c>11.0.0</c> for Asterisk 22.</summary>
    public string? AmiVersion => Volatile.Read(ref _amiVersion);

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

    /// <summary>One session, connect and login to drop; returns why it ended.</summary>
    protected override async Task<SessionEnd> RunSessionAsync(CancellationToken cancellationToken)
    {
        var session = await AmiSession.OpenAsync(_options, _filter, NextActionId, MarkEventReceived, _logger, Time, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            Volatile.Write(ref _amiVersion, session.AmiVersion);
            Volatile.Write(ref _session, session);
            SessionOpened();
            try
            {
                var lost = await DeliverAsync(session, cancellationToken).ConfigureAwait(false);
                return SessionEnd.Lost(lost.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await session.LogoffAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                Volatile.Write(ref _session, null);
            }
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

    protected override void ReportConnected(int failedAttempts) =>
        AmiLog.Connected(_logger, _amiVersion ?? "", _options.Host, _options.Port, _options.Username);

    protected override void ReportRetrying(int attempt, string reason, TimeSpan delay) =>
        AmiLog.Retrying(_logger, _options.Host, _options.Port, attempt, delay, reason);

    protected override void ReportLost(TimeSpan uptime, string reason) => AmiLog.ConnectionLost(_logger, _options.Host, _options.Port, reason);

    protected override void ReportAuthenticationFailed(string reason, TimeSpan delay) => AmiLog.AuthenticationFailed(_logger, reason, delay);
}
