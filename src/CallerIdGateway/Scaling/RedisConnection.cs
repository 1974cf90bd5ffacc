using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// The instance's one connection to Redis (when scaling is on). It never stops the start and never
/// throws for an outage: StackExchange.Redis keeps reconnecting in the background, and the users
/// of this connection fall back to per-instance behaviour while <see cref="IsConnected"/> is false.
/// </summary>
public sealed partial class RedisConnection(IOptions<ScalingOptions> options, ILogger<RedisConnection> logger) : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private ConnectionMultiplexer? _multiplexer;

    public bool Enabled => options.Value.Enabled;

    public string InstanceName => options.Value.InstanceName;

    /// <summary>Tells this process's own channel messages from other instances' (even two with one name).</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    public bool IsConnected => _multiplexer?.IsConnected == true;

    /// <summary>Redis answers again after an outage: what was kept locally meanwhile can be shared.</summary>
    public event Action? Restored;

    /// <summary>The connection, made on first use if the host has not started it yet; only when <see cref="Enabled"/>.</summary>
    public IConnectionMultiplexer Multiplexer
    {
        get
        {
            if (!Enabled)
            {
                throw new InvalidOperationException("Scaling:Redis:Configuration is empty: scaling is off.");
            }
            lock (_lock)
            {
                return _multiplexer ??= Watch(ConnectionMultiplexer.Connect(Configuration()));
            }
        }
    }

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>A key or channel name with <c>Scaling:Redis:KeyPrefix</c> before it.</summary>
    public string Key(string name) => options.Value.Redis.KeyPrefix + name;

    /// <summary>The servers, for health and logs (never the password).</summary>
    public string Servers => Enabled ? string.Join(",", ConfigurationOptions.Parse(options.Value.Redis.Configuration!).EndPoints.Select(e => e.ToString())) : "";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(Configuration());
        lock (_lock)
        {
            if (_multiplexer is null)
            {
                _multiplexer = Watch(multiplexer);
                multiplexer = null;
            }
        }
        if (multiplexer is not null)
        {
            await multiplexer.DisposeAsync(); // made on first use meanwhile
        }
        if (IsConnected)
        {
            LogConnected(logger, Servers, InstanceName);
        }
        else
        {
            LogNotConnected(logger, Servers, InstanceName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ConfigurationOptions Configuration()
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis.Configuration!);
        configuration.AbortOnConnectFail = false; // start, and keep trying, while Redis is away
        configuration.BacklogPolicy = BacklogPolicy.FailFast; // meanwhile fail at once (and fall back) instead of queueing for seconds
        configuration.ClientName ??= "callerid-gateway-" + InstanceName;
        return configuration;
    }

    private ConnectionMultiplexer Watch(ConnectionMultiplexer multiplexer)
    {
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                LogLost(logger, Servers, e.FailureType.ToString());
            }
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                LogRestored(logger, Servers);
                Restored?.Invoke();
            }
        };
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync();
        }
    }

    [LoggerMessage(LogLevel.Information, "Scaling: connected to Redis at {Servers} as instance {Instance}")]
    private static partial void LogConnected(ILogger logger, string servers, string instance);

    [LoggerMessage(LogLevel.Warning, "Scaling: Redis at {Servers} does not answer; instance {Instance} works on its own until it does (see /health/ready)")]
    private static partial void LogNotConnected(ILogger logger, string servers, string instance);

    [LoggerMessage(LogLevel.Warning, "Scaling: lost Redis at {Servers} ({Failure}); this instance works on its own until it answers again")]
    private static partial void LogLost(ILogger logger, string servers, string failure);

    [LoggerMessage(LogLevel.Information, "Scaling: Redis at {Servers} answers again")]
    private static partial void LogRestored(ILogger logger, string servers);
}
