using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlServerVersion = Microsoft.EntityFrameworkCore.ServerVersion;

namespace CallerIdGateway.Data;

public static class DataExtensions
{
    public const string DefaultSqliteConnectionString = "Data Source=callerid-gateway.db";

    /// <summary>Registers the database (provider and mode from section <c>Database</c>), its start-up migration and the number index.</summary>
    public static IHostApplicationBuilder AddGatewayData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Provider), "Database:Provider must be Sqlite or MySql.")
            .Validate(o => Enum.IsDefined(o.Mode), "Database:Mode must be Own or Attach.")
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString("Gateway");

        if (options.Provider == DatabaseProvider.MySql)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException("ConnectionStrings:Gateway", typeof(DatabaseOptions),
                    ["ConnectionStrings:Gateway is required when Database:Provider is MySql."]);
            }
            // Asking the server for its version costs a connection, so do it once, when first needed.
            var serverVersion = new Lazy<MySqlServerVersion>(() => string.IsNullOrWhiteSpace(options.ServerVersion)
                ? MySqlServerVersion.AutoDetect(connectionString)
                : MySqlServerVersion.Parse(options.ServerVersion));
            builder.Services.AddDbContextPool<GatewayDbContext, MySqlGatewayDbContext>(o => o.UseMySql(connectionString, serverVersion.Value,
                m => m.MigrationsHistoryTable(GatewayDbContext.MigrationsHistoryTable)));
            builder.Services.AddDbContext<InvoicingDbContext, MySqlInvoicingDbContext>(o => o.UseMySql(connectionString, serverVersion.Value,
                m => m.MigrationsHistoryTable(InvoicingDbContext.MigrationsHistoryTable)));
        }
        else
        {
            var sqlite = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString;
            builder.Services.AddDbContextPool<GatewayDbContext, SqliteGatewayDbContext>(o => o.UseSqlite(sqlite,
                s => s.MigrationsHistoryTable(GatewayDbContext.MigrationsHistoryTable)));
            builder.Services.AddDbContext<InvoicingDbContext, SqliteInvoicingDbContext>(o => o.UseSqlite(sqlite,
                s => s.MigrationsHistoryTable(InvoicingDbContext.MigrationsHistoryTable)));
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PhoneIndex>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHostedService<PhoneIndexSyncService>();
        return builder;
    }
}
