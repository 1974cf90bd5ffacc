namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>A started gateway with demo data, shared by the tests of one class.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    public GatewayApp App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public abstract string Provider { get; }

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected abstract Task<GatewayApp> CreateAppAsync();

    public async Task InitializeAsync()
    {
        App = await CreateAppAsync();
        Client = App.Start();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

public class SqliteGatewayFixture : GatewayFixture
{
    public override string Provider => "Sqlite";

    protected override Task<GatewayApp> CreateAppAsync() => Task.FromResult(GatewayApp.OnSqlite(Settings));
}

public class MySqlGatewayFixture : GatewayFixture
{
    public override string Provider => "MySql";

    protected override Task<GatewayApp> CreateAppAsync() => GatewayApp.OnMySqlAsync(Settings);
}
