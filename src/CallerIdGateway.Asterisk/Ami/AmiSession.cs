using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// One logged-in AMI socket. A single read loop takes every packet: a reply goes to the action
/// waiting for its ActionID, an event goes to <see cref="Events"/> in arrival order. Writers take
/// turns, so two actions never interleave on the wire. When the socket fails, everything pending
/// fails with the reason and <see cref="Events"/> completes with it after the buffered events.
/// </summary>
internal sealed class AmiSession : IAsyncDisposable
{
    private static readonly TimeSpan LogoffTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly AmiProtocolReader _reader;
    private readonly AmiClientOptions _options;
    private readonly AmiEventFilter _filter;
    private readonly Func<string> _nextActionId;
    private readonly Action _onEvent;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, AmiPendingAction> _pending = new(StringComparer.Ordinal);
    private readonly Channel<AmiMessage> _events = Channel.CreateUnbounded<AmiMessage>(new() { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _lifetime = new();
    private Exception? _closeReason;
    private Task _readLoop = Task.CompletedTask;
    private Task _pingLoop = Task.CompletedTask;

    private AmiSession(Socket socket, AmiClientOptions options, AmiEventFilter filter, Func<string> nextActionId, Action onEvent, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        _filter = filter;
        _nextActionId = nextActionId;
        _onEvent = onEvent;
        _logger = logger;
        _time = time;
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        _reader = new AmiProtocolReader(_input, filter, options.MaxLineBytes, logger);
    }

    public string AmiVersion { get; private set; } = "";

    /// <summary>Wanted events in arrival order; completes with the reason when the session ends.</summary>
    public ChannelReader<AmiMessage> Events => _events.Reader;

    /// <summary>Cancelled when the session ends.</summary>
    public CancellationToken Closed => _lifetime.Token;

    /// <summary>Connects, reads the banner, logs in, and starts the keepalive.</summary>
    /// <exception cref="AsteriskAuthenticationException">Asterisk refused the login.</exception>
    public static async Task<AmiSession> OpenAsync(
        AmiClientOptions options, AmiEventFilter filter, Func<string> nextActionId, Action onEvent, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var session = new AmiSession(socket, options, filter, nextActionId, onEvent, logger, time);
        try
        {
            using (var connectTimeout = new CancellationTokenSource(options.ConnectTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
            {
                try
                {
                    await socket.ConnectAsync(options.Host, options.Port, linked.Token).ConfigureAwait(false);
                    session.AmiVersion = await session._reader.ReadBannerAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new AmiConnectionException($"No AMI banner from {options.Host}:{options.Port} within {options.ConnectTimeout}.");
                }
            }
            session._readLoop = session.ReadLoopAsync();
            await session.LoginAsync(cancellationToken).ConfigureAwait(false);
            session._pingLoop = session.PingLoopAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<AmiMessage> SendActionAsync(AmiAction action, CancellationToken cancellationToken) =>
        (await SendAsync(action, isEventList: false, cancellationToken).ConfigureAwait(false))[0];

    public Task<IReadOnlyList<AmiMessage>> SendEventListActionAsync(AmiAction action, CancellationToken cancellationToken) =>
        SendAsync(action, isEventList: true, cancellationToken);

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

    public async ValueTask DisposeAsync()
    {
        Close(new AmiConnectionException("The AMI session was closed."));
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone.
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_readLoop, _pingLoop).ConfigureAwait(false);
    }

    internal static string Md5Key(string challenge, string secret) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(challenge + secret)));

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var login = new AmiAction("Login").Add("Username", _options.Username);
        if (_options.UseMd5Challenge)
        {
            AmiMessage challenge;
            try
            {
                challenge = await SendActionAsync(new AmiAction("Challenge").Add("AuthType", "MD5"), cancellationToken).ConfigureAwait(false);
            }
            catch (AmiActionException e)
            {
                throw new AmiConnectionException($"AMI at {_options.Host}:{_options.Port} refused the MD5 challenge ({e.Response["Message"]}); set UseMd5Challenge to false to send the secret instead.", e);
            }
            var text = challenge["Challenge"];
            if (string.IsNullOrEmpty(text))
            {
                throw new AmiConnectionException($"AMI at {_options.Host}:{_options.Port} answered Challenge without a challenge.");
            }
            login.Add("AuthType", "MD5").Add("Key", Md5Key(text, _options.Secret));
        }
        else
        {
            login.Add("Secret", _options.Secret);
        }
        login.Add("Events", _options.EventMask);

        try
        {
            await SendActionAsync(login, cancellationToken).ConfigureAwait(false);
        }
        catch (AmiActionException e)
        {
            throw new AsteriskAuthenticationException(
                $"Asterisk at {_options.Host}:{_options.Port} refused the AMI login of user '{_options.Username}': {e.Response["Message"] ?? "no reason given"}.");
        }
    }

    private async Task<IReadOnlyList<AmiMessage>> SendAsync(AmiAction action, bool isEventList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var actionId = _nextActionId();
        var pending = new AmiPendingAction(action.Name, isEventList);
        _pending[actionId] = pending;
        try
        {
            // Close() fails what it finds pending; one added after that must fail here.
            if (_lifetime.IsCancellationRequested)
            {
                throw ClosedException();
            }
            await WriteAsync(action.Serialize(actionId), cancellationToken).ConfigureAwait(false);
            return await pending.Completion.WaitAsync(_options.ActionTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"AMI at {_options.Host}:{_options.Port} did not answer {action.Name} (ActionID {actionId}) within {_options.ActionTimeout}.");
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

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        Exception reason;
        try
        {
            while (true)
            {
                var message = await _reader.ReadMessageAsync(_lifetime.Token).ConfigureAwait(false);
                if (message is null)
                {
                    reason = new AmiConnectionException($"AMI at {_options.Host}:{_options.Port} closed the connection.");
                    break;
                }
                Dispatch(message);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return; // closed on purpose; Close() already recorded why
        }
        catch (Exception e)
        {
            reason = e as AmiConnectionException
                ?? new AmiConnectionException($"Reading from AMI at {_options.Host}:{_options.Port} failed: {e.Message}", e);
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
        Close(reason);
    }

    private void Dispatch(AmiMessage message)
    {
        var actionId = message.ActionId;
        if (actionId is not null && _pending.TryGetValue(actionId, out var pending))
        {
            if (pending.Accept(message))
            {
                _pending.TryRemove(actionId, out _);
            }
            return;
        }
        if (message.IsResponse)
        {
            AmiLog.UnmatchedResponse(_logger, actionId);
            return;
        }
        var eventName = message.EventName;
        if (eventName is null)
        {
            AmiLog.PacketIgnored(_logger);
            return;
        }
        // The parser keeps every event with an ActionID for the pending actions; one that no
        // action waits for (any more) reaches the handler only if it was wanted anyway.
        if (actionId is not null && !_filter.Wants(eventName))
        {
            return;
        }
        _onEvent();
        if (eventName.Equals("Shutdown", StringComparison.OrdinalIgnoreCase))
        {
            AmiLog.ShutdownAnnounced(_logger, _options.Host, _options.Port, message["Shutdown"], message["Restart"]);
        }
        _events.Writer.TryWrite(message);
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

    private void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }
        _lifetime.Cancel();
        foreach (var (_, pending) in _pending)
        {
            pending.Fail(ClosedException());
        }
        _events.Writer.TryComplete(ClosedException());
    }

    // A new exception per failed caller, so no two tasks rethrow (and rewrite the stack of) one object.
    private AmiConnectionException ClosedException() =>
        new(_closeReason?.Message ?? $"The AMI session with {_options.Host}:{_options.Port} is closed.", _closeReason);
}
