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
/// waiting for its ActionID, an event goes to <see cref="Events"/> in arrival order
/// (AmiSession.Read.cs). Writers take turns, so two actions never interleave on the wire
/// (AmiSession.Actions.cs). When the socket fails, everything pending fails with the reason and
/// <see cref="Events"/> completes with it after the buffered events.
/// </summary>
internal sealed partial class AmiSession : IAsyncDisposable
{
    /// <summary>Events read but not yet handled; a resync lasts far less than this many events.</summary>
    public const int EventQueueCapacity = 10_000;

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
    private readonly Channel<AmiMessage> _events = Channel.CreateBounded<AmiMessage>(
        new BoundedChannelOptions(EventQueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
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
        AmiSession? session = null;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = new CancellationTokenSource(options.ConnectTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token))
            {
                try
                {
                    await socket.ConnectAsync(options.Host, options.Port, linked.Token).ConfigureAwait(false);
                    session = new AmiSession(socket, options, filter, nextActionId, onEvent, logger, time);
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
            if (session is null)
            {
                socket.Dispose();
            }
            else
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(new AmiConnectionException("The AMI session was closed."));
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
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
