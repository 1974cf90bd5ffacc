using System.Net.Http.Headers;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// The gateway on a real Kestrel and a real MySQL-family database with the demo customers, the
/// dialplan hooks behind a secret, FastAGI on a free port, and a recorder of every tracker change.
/// </summary>
public sealed class DialplanGatewayFixture : IAsyncLifetime
{
    public const string Secret = "tests-dialplan-secret-0123";

    public RecordingCallChanges Changes { get; } = new();

    public GatewayApp App { get; private set; } = null!;

    /// <summary>A client with no credentials of any kind, over a real socket from 127.0.0.1 (as Asterisk's CURL() would be).</summary>
    public HttpClient Dialplan { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?>
        {
            ["Dialplan:Secret"] = Secret,
            // The budget has a test of its own; here a cold first query on a shared 2-core runner must not make names vanish.
            ["Dialplan:CallerNameBudget"] = "00:00:03",
            ["Dialplan:FastAgi:Enabled"] = "true",
            ["Dialplan:FastAgi:Port"] = "0",
        });
        App.TestServices = services => services.AddSingleton<ICallChangeHandler>(Changes);
        App.Start().Dispose();
        Dialplan = Hooks(App);
    }

    public async Task DisposeAsync()
    {
        Dialplan.Dispose();
        await App.DisposeAsync();
    }

    public static HttpClient Hooks(GatewayApp app)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("asterisk-libcurl-agent", "1.0"));
        return client;
    }
}
