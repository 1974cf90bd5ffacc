using System.Text.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Scaling;

/// <summary>
/// Two real gateway processes, a and b, on one real Redis and one MariaDB database, following the
/// same test ARI server with their own application names. Each has a home folder of its own, so
/// that without Redis they would not share the Data Protection keys of the machine's default folder.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    public const string AgentPassword = "agent-pass";

    private static readonly string AgentPasswordHash =
        new Microsoft.AspNetCore.Identity.PasswordHasher<CallerIdGateway.Auth.AgentUser>().HashPassword(new(), AgentPassword);

    private readonly List<string> _folders = [];

    private TwoInstances(RedisServer redis, TestAriServer ari)
    {
        Redis = redis;
        Ari = ari;
    }

    public RedisServer Redis { get; }

    public TestAriServer Ari { get; }

    public RunningGateway A { get; private set; } = null!;

    public RunningGateway B { get; private set; } = null!;

    /// <summary>Starts Redis, the ARI server and both instances (a first), and waits until both follow the PBX.</summary>
    public static async Task<TwoInstances> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var redis = await RedisServer.StartAsync();
        var ari = new TestAriServer();
        var instances = new TwoInstances(redis, ari);
        try
        {
            await ari.StartAsync();
            var database = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("scaling");
            instances.A = await RunningGateway.StartAsync(instances.Settings("a", database, extra));
            instances.B = await RunningGateway.StartAsync(instances.Settings("b", database, extra));
            await WaitUntilAsync(() => ari.ConnectedClients == 2, TimeSpan.FromSeconds(30), () => instances.A.Output + instances.B.Output);
            return instances;
        }
        catch
        {
            await instances.DisposeAsync();
            throw;
        }
    }

    private Dictionary<string, string?> Settings(string name, string database, IDictionary<string, string?>? extra)
    {
        var home = Directory.CreateTempSubdirectory($"callerid-scaling-{name}-").FullName;
        _folders.Add(home);
        var settings = GatewayApp.FollowingAri(Ari);
        settings["HOME"] = home;
        settings["Database:Provider"] = "MySql";
        settings["ConnectionStrings:Gateway"] = database;
        settings["Gateway:CallLogJournal"] = Path.Combine(home, "calls.jsonl");
        settings["Asterisk:Ari:Application"] = "callerid-" + name;
        settings["Scaling:InstanceName"] = name;
        settings["Scaling:Redis:Configuration"] = Redis.Configuration;
        settings["Auth:Users:0:Username"] = "agent1008";
        settings["Auth:Users:0:PasswordHash"] = AgentPasswordHash;
        settings["Auth:Users:0:Extensions:0"] = "1008";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>A dashboard's hub connection (all extensions), subscribed to 1008, recording every change pushed to it.</summary>
    public static async Task<Dashboard> ConnectDashboardAsync(Uri baseAddress, bool reconnect = false)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/calls"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(GatewayApp.ApiKey);
            o.SkipNegotiation = true;
            o.Transports = HttpTransportType.WebSockets;
        });
        if (reconnect)
        {
            builder.WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), .. Enumerable.Repeat(TimeSpan.FromSeconds(1), 30)]);
        }
        var dashboard = new Dashboard(builder.Build());
        await dashboard.StartAsync();
        return dashboard;
    }

    /// <summary>What the dashboard (js/connection.js) does: on every (re)connect it subscribes and reads the active calls.</summary>
    public sealed class Dashboard(HubConnection hub) : IAsyncDisposable
    {
        private readonly List<CustomerCallDataDto> _changes = [];
        private readonly List<CustomerCallDataDto[]> _snapshots = [];

        public HubConnection Hub => hub;

        public IReadOnlyList<CustomerCallDataDto> Changes { get { lock (_changes) { return [.. _changes]; } } }

        /// <summary>The active calls read after each reconnect.</summary>
        public IReadOnlyList<CustomerCallDataDto[]> Snapshots { get { lock (_changes) { return [.. _snapshots]; } } }

        public IEnumerable<string> StatesOf(string callId) => Changes.Where(c => c.Call!.Id == callId).Select(c => c.Call!.State);

        internal async Task StartAsync()
        {
            hub.On<CustomerCallDataDto>("CallChanged", d => { lock (_changes) { _changes.Add(d); } });
            hub.Reconnected += async _ =>
            {
                await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
                var active = await hub.InvokeAsync<CustomerCallDataDto[]>("GetActiveCalls");
                lock (_changes)
                {
                    _snapshots.Add(active);
                }
            };
            await hub.StartAsync();
            await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        }

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }

    /// <summary>The status of entry <paramref name="entry"/> of the instance's /health/ready.</summary>
    public static async Task<string> HealthOfAsync(RunningGateway gateway, string entry)
    {
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var response = await client.GetAsync("/health/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("entries").GetProperty(entry).GetProperty("status").GetString()!;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout}; the gateways wrote:\n{context()}");
            await Task.Delay(50);
        }
    }

    public string Output => $"--- a:\n{A?.Output}\n--- b:\n{B?.Output}";

    public async ValueTask DisposeAsync()
    {
        if (A is not null)
        {
            await A.DisposeAsync();
        }
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        await Ari.DisposeAsync();
        await Redis.DisposeAsync();
        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
