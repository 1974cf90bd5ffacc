using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlServerVersion = Microsoft.EntityFrameworkCore.ServerVersion;

namespace CallerIdGateway.Data;

public static class DataExtensions
{
    public const string DefaultSqliteConnectionString = "Data Source=callerid-gateway.db";

    /// <summary>Registers the database (provider and mode from section <c>Database</c>) and its start-up migration.</summary>
    public static IHostApplicationBuilder AddGatewayData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString("Gateway"))
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Provider), "Database:Provider must be Sqlite or MySql.")
            .Validate(o => Enum.IsDefined(o.Mode), "Database:Mode must be Own or Attach.")
            .Validate(o => o.Provider != DatabaseProvider.MySql || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "ConnectionStrings:Gateway is required when Database:Provider is MySql.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, ConnectionStringValidator>();

        // Both providers are registered; the options decide at run time which one a scope gets,
        // so a wrong setting surfaces as a validation error at start, not as a crash while wiring.
        builder.Services.AddSingleton<MySqlVersion>();
        builder.Services.AddDbContextPool<SqliteGatewayDbContext>((sp, o) => o.UseSqlite(SqliteConnectionString(sp),
            s => s.MigrationsHistoryTable(GatewayDbContext.MigrationsHistoryTable)));
        builder.Services.AddDbContextPool<MySqlGatewayDbContext>((sp, o) => o.UseMySql(MySqlConnectionString(sp), sp.GetRequiredService<MySqlVersion>().Value,
            m => m.MigrationsHistoryTable(GatewayDbContext.MigrationsHistoryTable)));
        builder.Services.AddDbContext<SqliteInvoicingDbContext>((sp, o) => o.UseSqlite(SqliteConnectionString(sp),
            s => s.MigrationsHistoryTable(InvoicingDbContext.MigrationsHistoryTable)));
        builder.Services.AddDbContext<MySqlInvoicingDbContext>((sp, o) => o.UseMySql(MySqlConnectionString(sp), sp.GetRequiredService<MySqlVersion>().Value,
            m => m.MigrationsHistoryTable(InvoicingDbContext.MigrationsHistoryTable)));
        builder.Services.AddScoped<GatewayDbContext>(sp => IsMySql(sp)
            ? sp.GetRequiredService<MySqlGatewayDbContext>()
            : sp.GetRequiredService<SqliteGatewayDbContext>());
        builder.Services.AddScoped<InvoicingDbContext>(sp => IsMySql(sp)
            ? sp.GetRequiredService<MySqlInvoicingDbContext>()
            : sp.GetRequiredService<SqliteInvoicingDbContext>());

        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    private static DatabaseOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;

    private static bool IsMySql(IServiceProvider sp) => Options(sp).Provider == DatabaseProvider.MySql;

    private static string SqliteConnectionString(IServiceProvider sp) =>
        string.IsNullOrWhiteSpace(Options(sp).ConnectionString) ? DefaultSqliteConnectionString : Options(sp).ConnectionString!;

    private static string MySqlConnectionString(IServiceProvider sp) => WithoutSessionReset(Options(sp).ConnectionString!);

    /// <summary>
    /// The gateway leaves no session state on its connections, so the pool need not reset them on
    /// every open: one round trip fewer per lookup (docs/performance.md). A connection string that
    /// sets ConnectionReset itself (under any of its spellings) wins.
    /// </summary>
    internal static string WithoutSessionReset(string connectionString)
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey(nameof(builder.ConnectionReset)))
        {
            builder.ConnectionReset = false;
        }
        return builder.ConnectionString;
    }

    /// <summary>The MySQL/MariaDB server version: configured, or asked of the server once, when first needed.</summary>
    private sealed class MySqlVersion(IOptions<DatabaseOptions> options)
    {
        private readonly Lazy<MySqlServerVersion> _value = new(() => string.IsNullOrWhiteSpace(options.Value.ServerVersion)
            ? MySqlServerVersion.AutoDetect(options.Value.ConnectionString)
            : MySqlServerVersion.Parse(options.Value.ServerVersion));

        public MySqlServerVersion Value => _value.Value;
    }
}
