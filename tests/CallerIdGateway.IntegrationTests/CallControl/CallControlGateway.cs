using System.Globalization;
using System.Net.Http.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.CallControl;

/// <summary>
/// A gateway (SQLite, demo customers) watching a test AMI or ARI server with the read-only user
/// <c>gateway</c>, and controlling calls through it as <c>gateway-control</c>; 1008 and 1009 monitored.
/// </summary>
public sealed class CallControlGateway : IAsyncDisposable
{
    public const string ControlUser = "gateway-control";
    public const string ControlSecret = "test-only-control-secret";

    private CallControlGateway(GatewayApp app, TestAmiServer? ami, TestAriServer? ari)
    {
        App = app;
        Ami = ami;
        Ari = ari;
    }

    public GatewayApp App { get; }

    public TestAmiServer? Ami { get; }

    public TestAriServer? Ari { get; }

    public RecordingCallNotifier Calls { get; } = new();

    /// <summary>The call-control log lines (Information and up).</summary>
    public RecordingLogSink Log { get; } = new();

    /// <summary>Sees every extension.</summary>
    public HttpClient Supervisor { get; private set; } = null!;

    /// <summary>Sees 1008 only.</summary>
    public HttpClient Agent1008 { get; private set; } = null!;

    /// <summary>Sees 1009 only.</summary>
    public HttpClient Agent1009 { get; private set; } = null!;

    /// <summary>Watching and controlling over AMI; <paramref name="control"/> false leaves call control off.</summary>
    public static async Task<CallControlGateway> OverAmiAsync(TestAmiControlCapture? capture, bool control = true, IDictionary<string, string?>? settings = null)
    {
        var ami = new TestAmiServer { Control = capture };
        ami.AddUser(ControlUser, ControlSecret);
        await ami.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Gateway:MonitoredExtensions:0"] = "1008",
            ["Gateway:MonitoredExtensions:1"] = "1009",
            ["Asterisk:Ami:Enabled"] = "true",
            ["Asterisk:Ami:Port"] = ami.Port.ToString(CultureInfo.InvariantCulture),
            ["Asterisk:Ami:Username"] = ami.Username,
            ["Asterisk:Ami:Secret"] = ami.Secret,
            ["Asterisk:Ami:Reconnect:InitialDelay"] = "00:00:00.050",
            ["Asterisk:Ami:Reconnect:MaxDelay"] = "00:00:00.300",
            ["CallControl:Enabled"] = control ? "true" : "false",
            ["CallControl:Source"] = "Ami",
            ["CallControl:Ami:Username"] = ControlUser,
            ["CallControl:Ami:Secret"] = ControlSecret,
            ["Serilog:MinimumLevel:Override:CallerIdGateway.CallControl"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var gateway = new CallControlGateway(GatewayApp.OnSqlite(all), ami, null);
        await gateway.StartAsync();
        await ami.WaitForUserAsync(ami.Username, TimeSpan.FromSeconds(15));
        if (control)
        {
            await ami.WaitForUserAsync(ControlUser, TimeSpan.FromSeconds(15));
        }
        return gateway;
    }

    /// <summary>Watching and controlling over ARI.</summary>
    public static async Task<CallControlGateway> OverAriAsync(TestAriControlCapture? capture)
    {
        var ari = new TestAriServer { Control = capture };
        ari.AddUser(ControlUser, ControlSecret);
        await ari.StartAsync();
        var settings = GatewayApp.FollowingAri(ari);
        settings["CallControl:Enabled"] = "true";
        settings["CallControl:Source"] = "Ari";
        settings["CallControl:Ari:Username"] = ControlUser;
        settings["CallControl:Ari:Password"] = ControlSecret;
        settings["Serilog:MinimumLevel:Override:CallerIdGateway.CallControl"] = "Information";
        var gateway = new CallControlGateway(GatewayApp.OnSqlite(settings), null, ari);
        await gateway.StartAsync();
        await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        return gateway;
    }

    /// <summary>Waits until the gateway shows the call on <paramref name="extension"/> in <paramref name="state"/>; returns its id.</summary>
    public async Task<string> WaitForCallAsync(string extension, CallState state)
    {
        var live = App.Get<LiveCalls>();
        await TestAmiWait.UntilAsync(() => live.Active.Any(d => IsCall(d, extension, state)),
            TimeSpan.FromSeconds(15), $"a call {state} on {extension}");
        return live.Active.First(d => IsCall(d, extension, state)).Call!.Id;
    }

    private static bool IsCall(CustomerCallData data, string extension, CallState state) =>
        data.Call!.Extension == extension && data.Call.State == state;

    public static HttpContent Json(object body) => JsonContent.Create(body);

    public async ValueTask DisposeAsync()
    {
        Supervisor.Dispose();
        Agent1008.Dispose();
        Agent1009.Dispose();
        await App.DisposeAsync();
        if (Ami is not null)
        {
            await Ami.DisposeAsync();
        }
        if (Ari is not null)
        {
            await Ari.DisposeAsync();
        }
    }

    private Task StartAsync()
    {
        App.TestServices = services =>
        {
            services.AddSingleton<ICallNotifier>(Calls);
            services.AddSingleton<Serilog.Core.ILogEventSink>(Log);
        };
        Supervisor = App.Start();
        Agent1008 = Client(GatewayApp.ApiKey1008);
        Agent1009 = Client(GatewayApp.ApiKey1009);
        return Task.CompletedTask;
    }

    private HttpClient Client(string apiKey)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
