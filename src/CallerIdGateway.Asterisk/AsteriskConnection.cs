using System.Globalization;

namespace CallerIdGateway.Asterisk;

/// <summary>
/// The lifecycle of a long-lived connection to Asterisk, shared by the ARI events socket and the AMI
/// session: one run at a time, reconnect with backoff (<see cref="ReconnectPipeline"/>), a long pause
/// after refused credentials, and the state, times and last error that health checks read. A
/// subclass only opens one session and runs it (<see cref="RunSessionAsync"/>).
/// </summary>
/// <remarks>
/// A session counts as stable once it lived <see cref="ReconnectOptions.StableSession"/>: after a
/// stable one the next starts at once with a fresh backoff; a shorter one counts as a failed
/// attempt, so a PBX that accepts and drops at once meets growing backoff.
/// </remarks>
public abstract class AsteriskConnection
{
    private readonly ReconnectOptions _reconnect;
    private volatile ConnectionState _state;
    private long _connectedSinceTicks;
    private long _lastEventTicks;
    private int _running;
    private int _failedAttempts;
    private LastError? _lastError;
    private int _sessions;

    protected AsteriskConnection(ReconnectOptions? reconnect, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(reconnect, "options.Reconnect");
        _reconnect = reconnect;
        Time = timeProvider ?? TimeProvider.System;
    }

    public ConnectionState State => _state;

    /// <summary>When the current session opened (connected, logged in); null while not connected.</summary>
    public DateTimeOffset? ConnectedSince => FromTicks(Interlocked.Read(ref _connectedSinceTicks));

    /// <summary>When the last frame or event arrived (of any session), wanted or not: the peer's sign of life; null before the first.</summary>
    public DateTimeOffset? LastEventAt => FromTicks(Interlocked.Read(ref _lastEventTicks));

    /// <summary>
    /// Why the last attempt failed or the last session ended (as logged: never a password or secret),
    /// and when; null until something went wrong.
    /// </summary>
    public LastError? LastError => Volatile.Read(ref _lastError);

    /// <summary>How many sessions have opened so far: more than one means reconnects.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    protected TimeProvider Time { get; }

    /// <summary>
    /// Keeps a session up until <paramref name="cancellationToken"/> fires (then throws
    /// <see cref="OperationCanceledException"/>), or until a session ends with
    /// <see cref="SessionEnd.Replaced"/> (then completes, with <see cref="State"/> = <see cref="ConnectionState.Replaced"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"This {GetType().Name} is already running.");
        }
        var pipeline = ReconnectPipeline.Create(_reconnect, OnRetry, Time);
        try
        {
            while (true)
            {
                try
                {
                    if (await pipeline.ExecuteAsync(RunOnceAsync, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (AsteriskAuthenticationException e)
                {
                    // Not retried by the pipeline: a fast loop cannot fix a password and may trip fail2ban.
                    _failedAttempts++;
                    SetState(ConnectionState.AuthenticationFailed);
                    RecordError(e.Message);
                    ReportAuthenticationFailed(e.Message, _reconnect.AuthFailureDelay);
                    await Task.Delay(_reconnect.AuthFailureDelay, Time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (_state != ConnectionState.Replaced)
            {
                SetState(ConnectionState.Disconnected);
            }
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Opens one session, calls <see cref="SessionOpened"/> once it is up, and runs it until it ends;
    /// returns why it ended. Throws for an attempt that failed before the session was up
    /// (<see cref="AsteriskAuthenticationException"/> for refused credentials).
    /// </summary>
    protected abstract Task<SessionEnd> RunSessionAsync(CancellationToken cancellationToken);

    /// <summary>How a session ended: lost (reconnect) or replaced (stop for good).</summary>
    protected sealed record SessionEnd(string Reason, bool Replaced)
    {
        public static SessionEnd Lost(string reason) => new(reason, Replaced: false);

        public static SessionEnd ReplacedBy(string reason) => new(reason, Replaced: true);
    }

    /// <summary>The session is up: counts it, starts <see cref="ConnectedSince"/>, sets <see cref="ConnectionState.Connected"/>.</summary>
    protected void SessionOpened()
    {
        Interlocked.Exchange(ref _connectedSinceTicks, Time.GetUtcNow().UtcTicks);
        Interlocked.Increment(ref _sessions);
        SetState(ConnectionState.Connected);
        ReportConnected(_failedAttempts);
        _failedAttempts = 0;
    }

    /// <summary>A frame or event arrived: the peer is alive.</summary>
    protected void MarkEventReceived() => Interlocked.Exchange(ref _lastEventTicks, Time.GetUtcNow().UtcTicks);

    protected abstract void ReportConnected(int failedAttempts);

    protected abstract void ReportRetrying(int attempt, string reason, TimeSpan delay);

    protected abstract void ReportLost(TimeSpan uptime, string reason);

    protected abstract void ReportAuthenticationFailed(string reason, TimeSpan delay);

    /// <summary>The message plus its root cause: "Unable to connect to the remote server (Connection refused)".</summary>
    protected static string Describe(Exception exception)
    {
        var root = exception.GetBaseException();
        return exception.Message.Contains(root.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({root.Message})";
    }

    /// <summary>One session from connect to end; true when it ended for good. Throws for anything that counts as a failed attempt.</summary>
    private async ValueTask<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        SetState(ConnectionState.Connecting);
        SessionEnd end;
        long openedTicks;
        try
        {
            end = await RunSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The pipeline treats every OperationCanceledException as "stop"; only the caller's token may stop the connection.
            throw new TimeoutException(ex.Message, ex);
        }
        finally
        {
            openedTicks = Interlocked.Exchange(ref _connectedSinceTicks, 0);
            SetState(ConnectionState.Disconnected);
        }

        if (end.Replaced)
        {
            SetState(ConnectionState.Replaced);
            RecordError(end.Reason);
            return true;
        }
        var uptime = openedTicks == 0 ? TimeSpan.Zero : Time.GetUtcNow() - new DateTimeOffset(openedTicks, TimeSpan.Zero);
        ReportLost(uptime, end.Reason);
        if (uptime < _reconnect.StableSession)
        {
            throw new SessionLostException(string.Create(CultureInfo.InvariantCulture, $"connection lost after {uptime.TotalSeconds:0.0} s: {end.Reason}"));
        }
        RecordError("connection lost: " + end.Reason);
        return false;
    }

    private void OnRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        _failedAttempts++;
        SetState(ConnectionState.Disconnected);
        var reason = exception is null ? "unknown" : Describe(exception);
        RecordError(reason);
        ReportRetrying(attempt, reason, delay);
    }

    private void SetState(ConnectionState state) => _state = state;

    private void RecordError(string message) => Volatile.Write(ref _lastError, new LastError(message, Time.GetUtcNow()));

    private static DateTimeOffset? FromTicks(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

    /// <summary>A session ended before it was stable: counts as a failed attempt.</summary>
    private sealed class SessionLostException(string message) : Exception(message);
}
