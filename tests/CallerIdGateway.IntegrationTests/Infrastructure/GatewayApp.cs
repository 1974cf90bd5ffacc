using System.Net.Http.Json;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway on a real Kestrel at 127.0.0.1 with the given settings (a real database, real
/// sockets), plus the domain helpers tests need.
/// </summary>
public sealed class GatewayApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _journal = TestFiles.NewPath("callerid-test-calls", ".jsonl");

    public GatewayApp(IDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Auth:ApiKeys:0:Name"] = "tests",
            ["Auth:ApiKeys:0:Key"] = ApiKey,
            ["Auth:ApiKeys:0:Extensions:0"] = "*",
            ["Auth:ApiKeys:1:Name"] = "desk-1008",
            ["Auth:ApiKeys:1:Key"] = ApiKey1008,
            ["Auth:ApiKeys:1:Extensions:0"] = "1008",
            ["Auth:ApiKeys:2:Name"] = "desk-1009",
            ["Auth:ApiKeys:2:Key"] = ApiKey1009,
            ["Auth:ApiKeys:2:Extensions:0"] = "1009",
            ["Auth:Users:0:Username"] = "agent1008",
            ["Auth:Users:0:DisplayName"] = "کارشناس ۱۰۰۸",
            ["Auth:Users:0:PasswordHash"] = PasswordHash,
            ["Auth:Users:0:Extensions:0"] = "1008",
            ["Auth:Users:1:Username"] = "agent1009",
            ["Auth:Users:1:PasswordHash"] = PasswordHash,
            ["Auth:Users:1:Extensions:0"] = "1009",
            ["Auth:Users:2:Username"] = "supervisor",
            ["Auth:Users:2:PasswordHash"] = PasswordHash,
            ["Auth:Users:2:Extensions:0"] = "*",
            // Its own call-log journal: apps of one test run share a working directory.
            ["Gateway:CallLogJournal"] = _journal,
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    /// <summary>
    /// Settings that follow a test ARI server, with 1008 and 1009 monitored and short reconnect
    /// delays; add more to the dictionary it returns.
    /// </summary>
    public static Dictionary<string, string?> FollowingAri(CallerIdGateway.IntegrationTests.TestAsterisk.TestAriServer ari) => new()
    {
        ["Gateway:MonitoredExtensions:0"] = "1008",
        ["Gateway:MonitoredExtensions:1"] = "1009",
        ["Asterisk:Ari:Enabled"] = "true",
        ["Asterisk:Ari:BaseUrl"] = ari.BaseUrl.ToString(),
        ["Asterisk:Ari:Username"] = ari.Username,
        ["Asterisk:Ari:Password"] = ari.Password,
        ["Asterisk:Ari:Reconnect:InitialDelay"] = "00:00:00.050",
        ["Asterisk:Ari:Reconnect:MaxDelay"] = "00:00:00.300",
    };

    /// <summary>The gateway on the embedded SQLite default (a fresh file per app).</summary>
    public static GatewayApp OnSqlite(IDictionary<string, string?>? settings = null, string? databaseFile = null) =>
        new(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Gateway"] = $"Data Source={databaseFile ?? TestFiles.NewPath("callerid-test", ".db")}",
        });

    /// <summary>The gateway on a fresh database of the shared MySQL-family test server.</summary>
    public static async Task<GatewayApp> OnMySqlAsync(IDictionary<string, string?>? settings = null, string? connectionString = null)
    {
        connectionString ??= await (await MySqlServer.GetAsync()).CreateDatabaseAsync("gateway");
        return new GatewayApp(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Database:Provider"] = "MySql",
            ["ConnectionStrings:Gateway"] = connectionString,
        });
    }

    /// <summary>The API key every test client sends unless it asks for none (sees all extensions).</summary>
    public const string ApiKey = "tests-key-0123456789abcdef";

    /// <summary>Keys that see only one extension each.</summary>
    public const string ApiKey1008 = "tests-key-1008-0123456789";
    public const string ApiKey1009 = "tests-key-1009-0123456789";

    /// <summary>The password of the test agents agent1008, agent1009 and supervisor.</summary>
    public const string Password = "agent-pass";

    private static readonly string PasswordHash =
        new Microsoft.AspNetCore.Identity.PasswordHasher<CallerIdGateway.Auth.AgentUser>().HashPassword(new(), Password);

    public string ConnectionString => _settings["ConnectionStrings:Gateway"]!;

    /// <summary>Extra services for the test (e.g. a recording notifier); set before <see cref="Start"/>.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Starts Kestrel (migrations and seeding run here) and returns a client for it.</summary>
    public HttpClient Start()
    {
        StartServer();
        return CreateKeyClient();
    }

    private Uri? _baseAddress;

    /// <summary>Where Kestrel listens (after <see cref="Start"/>).</summary>
    public Uri BaseAddress => _baseAddress ??= CreateClient().BaseAddress!;

    /// <summary>A client that sends the test API key.</summary>
    public HttpClient CreateKeyClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>A client with no credentials, and cookies kept (sign in with <see cref="SignInAsync"/>).</summary>
    public HttpClient CreateAnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, BaseAddress = BaseAddress });

    /// <summary>A SignalR connection to /hubs/calls with an API key (null: none), not started.</summary>
    public Microsoft.AspNetCore.SignalR.Client.HubConnection CreateHubConnection(string? apiKey = ApiKey) =>
        new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/calls"), o =>
            {
                if (apiKey is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
                }
            })
            .WithAutomaticReconnect()
            .Build();

    /// <summary>Signs an agent in on a cookie-keeping client.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password = Password) =>
        await client.PostAsJsonAsync("/api/auth/login", new { username, password });

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<T> WithDbAsync<T>(Func<GatewayDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<GatewayDbContext>());
    }

    /// <summary>Runs one pass of the number index sync now instead of waiting for its interval.</summary>
    public Task<int> SyncPhoneIndexAsync() => Get<PhoneIndex>().SynchronizeAsync(CancellationToken.None);

    public async Task<CustomerCallDataDto?> LookupAsync(HttpClient client, string number)
    {
        var response = await client.GetAsync($"/api/customers/by-phone/{Uri.EscapeDataString(number)}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<CustomerCallDataDto>() : null;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            File.Delete(_journal); // the one it made up; a journal the test gave is the test's
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: the demo users and key of appsettings.Development.json stay out of the tests.
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (TestServices is not null)
        {
            builder.ConfigureServices(TestServices);
        }
    }
}
