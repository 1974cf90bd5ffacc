using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallerIdGateway.Contracts;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan.FastAgi;

/// <summary>
/// <c>AGI(agi://gateway:4573/callerid)</c>: sets <c>CALLERID(name)</c> and the channel variables
/// <c>LOOKUP</c> (found / notFound / noNumber / unavailable), <c>CUSTOMER_ID</c> and
/// <c>CUSTOMER_NAME</c> for the calling channel, within the caller-name budget. The URL may add
/// <c>?script=latin</c>, <c>maxLength=</c> and <c>secret=</c>. Same address allow-list and secret as the HTTP hooks.
/// </summary>
public sealed partial class FastAgiServer : BackgroundService
{
    public const string CallerIdScript = "callerid";

    // An AGI session is a handful of lines each way; anything slower or bigger is not Asterisk.
    // (Receiving the request has a shorter limit of its own: FastAgiOptions.RequestTimeout.)
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(10);
    private const int MaxRequestBytes = 16 * 1024;

    private readonly FastAgiOptions _options;
    private readonly DialplanOptions _dialplan;
    private readonly DialplanAccess _access;
    private readonly CallerNameLookup _lookup;
    private readonly ILogger<FastAgiServer> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<IPAddress, int> _openByAddress = [];
    private TcpListener? _listener;

    public FastAgiServer(
        IOptions<FastAgiOptions> options,
        IOptions<DialplanOptions> dialplan,
        DialplanAccess access,
        CallerNameLookup lookup,
        ILogger<FastAgiServer> logger)
    {
        _options = options.Value;
        _dialplan = dialplan.Value;
        _access = access;
        _lookup = lookup;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConnections);
    }

    /// <summary>Where the server listens (after start; null when off).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndpoint as IPEndPoint;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bound here rather than in ExecuteAsync, so the port is taken (or the start fails) before the host reports started.
        if (_options.Enabled && _access.Enabled)
        {
            _listener = new TcpListener(IPAddress.Parse(_options.BindAddress), _options.Port);
            _listener.Start();
            LogListening(_logger, LocalEndPoint!.ToString());
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is null)
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(stoppingToken);
                }
                catch (SocketException e)
                {
                    LogAcceptFailed(_logger, e.SocketErrorCode.ToString());
                    continue;
                }
                var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
                remote = remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote; // one count per host on a dual-stack socket
                // Judged before a byte is read: a refused host must not hold a socket, a slot or a timer.
                if (Admit(remote) is { } refusal)
                {
                    socket.Dispose();
                    LogRefused(_logger, remote?.ToString() ?? "unknown", refusal);
                    continue;
                }
                _ = ServeAsync(socket, remote!, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listener.Stop();
        }
    }

    /// <summary>Counts a new connection from <paramref name="remote"/>, or says why it is refused.</summary>
    private string? Admit(IPAddress? remote)
    {
        if (!_access.IsAllowed(remote))
        {
            return "its address is not in Dialplan:AllowedAddresses";
        }
        lock (_openByAddress)
        {
            var open = _openByAddress.GetValueOrDefault(remote!);
            if (open >= _options.MaxConnectionsPerAddress)
            {
                return $"{open} connections from it are open already (Dialplan:FastAgi:MaxConnectionsPerAddress)";
            }
            _openByAddress[remote!] = open + 1;
            return null;
        }
    }

    private void Closed(IPAddress remote)
    {
        lock (_openByAddress)
        {
            var open = _openByAddress[remote] - 1;
            if (open == 0)
            {
                _openByAddress.Remove(remote);
            }
            else
            {
                _openByAddress[remote] = open;
            }
        }
    }

    private async Task ServeAsync(Socket socket, IPAddress remote, CancellationToken stoppingToken)
    {
        var slot = false;
        try
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            // Asterisk sends the environment as soon as it connects; a silent or trickling peer is cut off quickly.
            session.CancelAfter(_options.RequestTimeout);
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = PipeReader.Create(stream);

            var request = await ReadRequestAsync(reader, session.Token);
            if (request is null)
            {
                return;
            }
            if (!_access.IsSecret(request.Query.GetValueOrDefault(DialplanAccess.SecretField)))
            {
                LogRefused(_logger, remote.ToString(), "no or wrong secret= in the agi:// URL (Dialplan:Secret)");
                return;
            }
            if (!string.Equals(request.Script, CallerIdScript, StringComparison.OrdinalIgnoreCase))
            {
                LogUnknownScript(_logger, request.Script);
                return;
            }

            // Only a complete request from an allowed peer waits for one of the slots that bound the lookups.
            session.CancelAfter(SessionTimeout);
            await _slots.WaitAsync(session.Token);
            slot = true;
            foreach (var command in await CallerIdCommandsAsync(request, session.Token))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(command), session.Token);
                var (code, _) = await ReadReplyAsync(reader, session.Token);
                if (code != 200)
                {
                    LogCommandFailed(_logger, command.TrimEnd(), code, request.UniqueId ?? "");
                    break; // hung up or refused: the rest would fail too
                }
            }
            await reader.CompleteAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or InvalidDataException)
        {
            LogSessionEnded(_logger, remote.ToString(), e.GetType().Name, e.Message);
        }
        finally
        {
            if (slot)
            {
                _slots.Release();
            }
            Closed(remote);
        }
    }

    /// <summary>The commands for one caller: the lookup status and customer for the dialplan, and the display name when found.</summary>
    private async Task<IReadOnlyList<string>> CallerIdCommandsAsync(AgiRequest request, CancellationToken cancellationToken)
    {
        // A withheld number is not looked up: the name would reveal who called to someone they hid from.
        var data = request.IsNumberWithheld ? null : await _lookup.ResolveAsync(request.CallerNumber, cancellationToken);
        var status = request.IsNumberWithheld ? LookupStatus.NoNumber : data?.Lookup ?? LookupStatus.Unavailable;
        var commands = new List<string>(4)
        {
            AgiCommand.SetVariable("LOOKUP", ContractJson.Name(status)),
            AgiCommand.SetVariable("CUSTOMER_ID", data?.Customer?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            AgiCommand.SetVariable("CUSTOMER_NAME", data?.Customer is { } customer ? CallerNameText.Clean(customer.Name) : ""),
        };
        var script = DialplanParameters.Script(request.Query.GetValueOrDefault("script")) ?? _dialplan.CallerNameScript;
        var maxLength = DialplanParameters.MaxLength(request.Query.GetValueOrDefault("maxLength")) ?? _dialplan.CallerNameMaxLength;
        var name = CallerNameText.For(data, script, maxLength);
        if (name.Length > 0)
        {
            commands.Add(AgiCommand.SetVariable("CALLERID(name)", name));
        }
        return commands;
    }

    private static async Task<AgiRequest?> ReadRequestAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<string>(24);
        while (true)
        {
            var line = await ReadLineAsync(reader, cancellationToken);
            if (line is null)
            {
                return null; // closed before the empty line
            }
            if (line.Length == 0)
            {
                return AgiRequest.Parse(lines);
            }
            lines.Add(line);
        }
    }

    /// <summary>The reply to a command, skipping the <c>HANGUP</c> notice and the body of a <c>520-</c> usage message.</summary>
    private static async Task<(int Code, string Result)> ReadReplyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(reader, cancellationToken) is { } line)
        {
            if (line.Length == 0 || line.StartsWith("HANGUP", StringComparison.Ordinal) || line.StartsWith("520-", StringComparison.Ordinal))
            {
                continue;
            }
            var reply = AgiCommand.ParseReply(line);
            if (reply.Code != 0)
            {
                return reply;
            }
        }
        return (0, "");
    }

    private static async Task<string?> ReadLineAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (AgiLines.TryRead(ref buffer, out var line))
            {
                reader.AdvanceTo(buffer.Start);
                return line;
            }
            if (buffer.Length > MaxRequestBytes)
            {
                throw new InvalidDataException($"An AGI line longer than {MaxRequestBytes} bytes.");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "FastAGI listening on {EndPoint}: AGI(agi://this-host:port/callerid)")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(LogLevel.Warning, "FastAGI accept failed ({Error}); still listening")]
    private static partial void LogAcceptFailed(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "FastAGI session from {Address} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string address, string reason);

    [LoggerMessage(LogLevel.Warning, "FastAGI script '{Script}' is unknown; use agi://host:port/callerid")]
    private static partial void LogUnknownScript(ILogger logger, string script);

    [LoggerMessage(LogLevel.Debug, "FastAGI command {Command} got {Code} on channel {UniqueId}")]
    private static partial void LogCommandFailed(ILogger logger, string command, int code, string uniqueId);

    [LoggerMessage(LogLevel.Debug, "FastAGI session from {Address} ended early ({Error}: {Message})")]
    private static partial void LogSessionEnded(ILogger logger, string address, string error, string message);
}
