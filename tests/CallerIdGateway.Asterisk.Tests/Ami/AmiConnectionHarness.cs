using System.IO.Pipelines;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using Xunit.Abstractions;

namespace CallerIdGateway.Asterisk.Tests.Ami;

/// <summary>A test AMI server plus an <see cref="AmiConnection"/> running against it, with quick retry delays.</summary>
internal sealed class AmiConnectionHarness : IAsyncDisposable
{
    /// <summary>The event names the gateway asks for.</summary>
    public static readonly string[] GatewayEvents =
    [
        "Newchannel", "Newstate", "NewConnectedLine", "DialBegin", "DialState", "DialEnd", "Dial", "Hangup",
        "HangupRequest", "SoftHangupRequest", "BridgeEnter", "BridgeLeave", "CoreShowChannel", "CoreShowChannelsComplete",
        "FullyBooted", "Shutdown", "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "AgentCalled",
        "AgentConnect", "AgentRingNoAnswer",
    ];

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private AmiConnectionHarness(TestAmiServer server, AmiClientOptions options, TestAmiHandler handler, ITestOutputHelper output)
    {
        Server = server;
        Options = options;
        Handler = handler;
        Logger = new TestAmiLogger<AmiConnection>(output);
        Connection = new AmiConnection(options, handler, Logger);
    }

    public TestAmiServer Server { get; }

    public AmiClientOptions Options { get; }

    public TestAmiHandler Handler { get; }

    public TestAmiLogger<AmiConnection> Logger { get; }

    public AmiConnection Connection { get; }

    /// <summary>
    /// Starts a server and a connection; by default waits until the first session is up and
    /// resynced. <paramref name="onConnected"/> runs inside OnConnectedAsync, like the gateway's resync.
    /// </summary>
    public static async Task<AmiConnectionHarness> StartAsync(
        ITestOutputHelper output,
        Action<AmiClientOptions>? configure = null,
        Action<TestAmiServer>? configureServer = null,
        Func<AmiConnectionHarness, CancellationToken, Task>? onConnected = null,
        bool waitUntilConnected = true)
    {
        var server = await TestAmiServer.StartNewAsync();
        configureServer?.Invoke(server);
        var options = new AmiClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Username = server.Username,
            Secret = server.Secret,
            WantedEvents = new HashSet<string>(GatewayEvents, StringComparer.OrdinalIgnoreCase),
            PingInterval = Timeout.InfiniteTimeSpan,
            ActionTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(3),
            Reconnect = new ReconnectOptions
            {
                InitialDelay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(200),
                AuthFailureDelay = TimeSpan.FromMinutes(1),
            },
        };
        configure?.Invoke(options);
        var harness = new AmiConnectionHarness(server, options, new TestAmiHandler(), output);
        if (onConnected is not null)
        {
            harness.Handler.OnConnected = (_, ct) => onConnected(harness, ct);
        }
        harness._run = harness.Connection.RunAsync(harness._stop.Token);
        if (waitUntilConnected)
        {
            await harness.WaitForSessionAsync(1);
        }
        return harness;
    }

    /// <summary>Waits until the <paramref name="count"/>th session is connected and its OnConnected has returned.</summary>
    public Task WaitForSessionAsync(int count) =>
        TestAmiWait.UntilAsync(
            () => Handler.Timeline.Count(t => t == "resynced") >= count && Connection.State == ConnectionState.Connected,
            what: $"AMI session #{count} to be connected and resynced");

    /// <summary>What the client should deliver for these bytes: the capture parsed directly, with the same filter.</summary>
    public async Task<IReadOnlyList<string>> ExpectedEventsAsync(byte[] eventStream)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(eventStream);
        await pipe.Writer.CompleteAsync();
        var reader = new AmiProtocolReader(pipe.Reader, Options.WantedEvents, Options.MaxLineBytes);
        var expected = new List<string>();
        while (await reader.ReadMessageAsync() is { } message)
        {
            // The reader keeps every packet with an ActionID for pending actions; with none pending (another
            // session's Originate, whose OriginateResponse a read=all session sees too) the client drops what it does not want.
            if (message.ActionId is null || (message.EventName is { } name && Options.WantedEvents.Contains(name) && !message.IsResponse))
            {
                expected.Add(message.ToString());
            }
        }
        return expected;
    }

    public async Task<IReadOnlyList<string>> ReceiveEventsAsync(int count)
    {
        await TestAmiWait.UntilAsync(() => Handler.Events.Count >= count, what: $"{count} events");
        return Handler.Events.Select(e => e.ToString()).ToList();
    }

    /// <summary>Stops the connection (it logs off) and the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // How RunAsync says it was stopped.
        }
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
