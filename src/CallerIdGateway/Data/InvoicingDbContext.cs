using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Data;

/// <summary>
/// The invoicing schema in <see cref="DatabaseMode.Own"/> mode: its migrations create customers and
/// invoices. In <see cref="DatabaseMode.Attach"/> mode this context is never migrated.
/// </summary>
public abstract class InvoicingDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__invoicing_migrations";

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        InvoicingModel.Configure(modelBuilder, Database.IsMySql(), excludeFromMigrations: false);
}

// One subclass per provider and schema so each provider keeps a migration set of its own
// (column types differ); the app registers the pair that matches Database:Provider.
public sealed class SqliteInvoicingDbContext(DbContextOptions<SqliteInvoicingDbContext> options) : InvoicingDbContext(options);

public sealed class MySqlInvoicingDbContext(DbContextOptions<MySqlInvoicingDbContext> options) : InvoicingDbContext(options);
