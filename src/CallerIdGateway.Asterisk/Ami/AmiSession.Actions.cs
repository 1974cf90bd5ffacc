using System.Net.Sockets;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>Actions out: one writer at a time, each waiting for the reply with its ActionID; the keepalive.</summary>
internal sealed partial class AmiSession
{
    private static readonly TimeSpan LogoffTimeout = TimeSpan.FromSeconds(1);

    public async Task<AmiMessage> SendActionAsync(AmiAction action, CancellationToken cancellationToken) =>
        (await SendAsync(action, isEventList: false, cancellationToken).ConfigureAwait(false))[0];

    public Task<IReadOnlyList<AmiMessage>> SendEventListActionAsync(AmiAction action, CancellationToken cancellationToken) =>
        SendAsync(action, isEventList: true, cancellationToken);

    public async Task<AmiMessage> SendActionAwaitingEventAsync(AmiAction action, string completionEvent, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await SendAsync(action, isEventList: false, cancellationToken, completionEvent, timeout).ConfigureAwait(false))[1];

    /// <summary>Says goodbye before a planned close, briefly and without caring about the answer.</summary>
    public async Task LogoffAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(LogoffTimeout, _time);
            await SendActionAsync(new AmiAction("Logoff"), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmiConnectionException or AmiActionException or TimeoutException or OperationCanceledException)
        {
            // Leaving anyway.
        }
    }

    private async Task<IReadOnlyList<AmiMessage>> SendAsync(
        AmiAction action, bool isEventList, CancellationToken cancellationToken, string? completionEvent = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var actionId = _nextActionId();
        var wait = timeout ?? _options.ActionTimeout;
        var pending = new AmiPendingAction(action.Name, isEventList, completionEvent);
        _pending[actionId] = pending;
        try
        {
            // Close() fails what it finds pending; one added after that must fail here.
            if (_lifetime.IsCancellationRequested)
            {
                throw ClosedException();
            }
            await WriteAsync(action.Serialize(actionId), cancellationToken).ConfigureAwait(false);
            return await pending.Completion.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"AMI at {_options.Host}:{_options.Port} did not answer {action.Name} (ActionID {actionId}) within {wait}.");
        }
        finally
        {
            _pending.TryRemove(actionId, out _);
        }
    }

    private async Task WriteAsync(byte[] packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The session's token, not the caller's: a write cut in the middle would leave half
            // an action on the wire and garble the next one.
            await _stream.WriteAsync(packet, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var reason = new AmiConnectionException($"Writing to AMI at {_options.Host}:{_options.Port} failed: {e.Message}", e);
            Close(reason);
            throw ClosedException();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task PingLoopAsync()
    {
        if (_options.PingInterval == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.PingInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                try
                {
                    await SendActionAsync(new AmiAction("Ping"), _lifetime.Token).ConfigureAwait(false);
                }
                catch (AmiActionException)
                {
                    // Any answer proves the link is alive.
                }
                catch (TimeoutException)
                {
                    AmiLog.PongMissing(_logger, _options.Host, _options.Port, _options.ActionTimeout);
                    Close(new AmiConnectionException($"No Pong from AMI at {_options.Host}:{_options.Port} within {_options.ActionTimeout}."));
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or AmiConnectionException)
        {
            // The session ended; the read loop reports why.
        }
    }
}
