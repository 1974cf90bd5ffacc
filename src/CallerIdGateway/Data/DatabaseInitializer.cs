using CallerIdGateway.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Data;

/// <summary>
/// Brings the database to the current schema before the gateway serves anything: in Own mode the
/// invoicing tables too (plus demo data in an empty database), in Attach mode only the gateway's
/// own tables after checking that the invoicing tables it reads are there.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    PhoneIndex phoneIndex,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var mode = options.Value.Mode;

        if (mode == DatabaseMode.Own)
        {
            var invoicing = scope.ServiceProvider.GetRequiredService<InvoicingDbContext>();
            await invoicing.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await EnsureInvoicingTablesReadableAsync(gateway, cancellationToken);
        }

        await gateway.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, mode, gateway.Database.ProviderName);

        if (mode == DatabaseMode.Own && options.Value.SeedDemoData && !await gateway.Customers.AnyAsync(cancellationToken))
        {
            var invoicing = scope.ServiceProvider.GetRequiredService<InvoicingDbContext>();
            var count = await DemoData.SeedAsync(invoicing, cancellationToken);
            LogSeeded(logger, count);
        }

        // Index a small database now, so the first lookup after start already finds every customer.
        // A large one is (re)indexed by the background sync, without holding up the start; its index
        // from the last run keeps answering meanwhile.
        if (await gateway.Customers.CountAsync(cancellationToken) <= options.Value.PhoneIndexBatchSize)
        {
            await phoneIndex.SynchronizeAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task EnsureInvoicingTablesReadableAsync(GatewayDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            // The columns must be there; their values are not read here: the invoicing app chose their types
            // (an amount may be BIGINT, a status NULL), which the lookup converts but an entity would refuse.
            await db.Database.ExecuteSqlRawAsync("SELECT id, name, phone_numbers FROM customers WHERE 1 = 0", cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT id, customer_id, number, issued_at, total_amount, status FROM invoices WHERE 1 = 0", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                "Database:Mode is Attach, but the invoicing tables cannot be read: the gateway needs customers(id, name, phone_numbers) and "
                + "invoices(id, customer_id, number, issued_at, total_amount, status). Check ConnectionStrings:Gateway. " + e.Message, e);
        }
    }

    [LoggerMessage(LogLevel.Information, "Database ready: mode {Mode}, provider {Provider}")]
    private static partial void LogMigrated(ILogger logger, DatabaseMode mode, string? provider);

    [LoggerMessage(LogLevel.Information, "Empty database: seeded {Count} demo customers with invoices")]
    private static partial void LogSeeded(ILogger logger, int count);
}
