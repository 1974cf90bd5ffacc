using System.Net.Http.Json;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The gateway on a real Kestrel at 127.0.0.1 with the given settings (a real database, real
/// sockets), plus the domain helpers tests need.
/// </summary>
public sealed class GatewayApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public GatewayApp(IDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>(settings)
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    /// <summary>The gateway on the embedded SQLite default (a fresh file per app).</summary>
    public static GatewayApp OnSqlite(IDictionary<string, string?>? settings = null, string? databaseFile = null) =>
        new(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Gateway"] = $"Data Source={databaseFile ?? Path.Combine(Path.GetTempPath(), $"callerid-test-{Guid.NewGuid():N}.db")}",
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

    public string ConnectionString => _settings["ConnectionStrings:Gateway"]!;

    /// <summary>Extra services for the test (e.g. a recording notifier); set before <see cref="Start"/>.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Starts Kestrel (migrations and seeding run here) and returns a client for it.</summary>
    public HttpClient Start()
    {
        StartServer();
        return CreateClient();
    }

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
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
