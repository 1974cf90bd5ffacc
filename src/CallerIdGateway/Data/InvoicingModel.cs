using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallerIdGateway.Data;

/// <summary>The invoicing app's tables as the gateway sees them; shared by both contexts so they can never disagree.</summary>
internal static class InvoicingModel
{
    public const string CustomersTable = "customers";
    public const string InvoicesTable = "invoices";

    public static void Configure(ModelBuilder model, bool isMySql, bool excludeFromMigrations)
    {
        model.Entity<Customer>(customer =>
        {
            customer.ToTable(CustomersTable, t => t.ExcludeFromMigrations(excludeFromMigrations));
            customer.HasKey(c => c.Id);
            customer.Property(c => c.Id).HasColumnName("id");
            customer.Property(c => c.Name).HasColumnName("name").HasMaxLength(200);
            customer.Property(c => c.Email).HasColumnName("email").HasMaxLength(200);
            customer.Property(c => c.CreatedAt).HasColumnName("created_at");
            var numbers = customer.Property(c => c.PhoneNumbers).HasColumnName("phone_numbers");
            if (isMySql)
            {
                numbers.HasColumnType("json");
            }
            customer.HasMany(c => c.Invoices).WithOne().HasForeignKey(i => i.CustomerId);
        });

        model.Entity<Invoice>(invoice =>
        {
            invoice.ToTable(InvoicesTable, t => t.ExcludeFromMigrations(excludeFromMigrations));
            invoice.HasKey(i => i.Id);
            invoice.Property(i => i.Id).HasColumnName("id");
            invoice.Property(i => i.CustomerId).HasColumnName("customer_id");
            invoice.Property(i => i.Number).HasColumnName("number").HasMaxLength(50);
            invoice.Property(i => i.IssuedAt).HasColumnName("issued_at");
            invoice.Property(i => i.TotalAmount).HasColumnName("total_amount").HasPrecision(18, 2);
            invoice.Property(i => i.Status).HasColumnName("status").HasMaxLength(20);
            // The last-invoice probe of a lookup reads this index backwards and stops at the first row.
            invoice.HasIndex(i => new { i.CustomerId, i.IssuedAt }).HasDatabaseName("ix_invoices_customer_issued");
        });
    }
}

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

/// <summary>
/// The gateway's own tables (number index, call log, settings), which it migrates in both modes,
/// plus a read-only view of customers and invoices that its migrations never touch.
/// </summary>
public abstract class GatewayDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__gateway_migrations";

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<IndexedPhoneNumber> PhoneNumberIndex => Set<IndexedPhoneNumber>();

    public DbSet<IndexedCustomer> IndexedCustomers => Set<IndexedCustomer>();

    public DbSet<Calls.CallRecord> Calls => Set<Calls.CallRecord>();

    public DbSet<GatewaySetting> Settings => Set<GatewaySetting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var isMySql = Database.IsMySql();
        InvoicingModel.Configure(modelBuilder, isMySql, excludeFromMigrations: true);

        modelBuilder.Entity<IndexedPhoneNumber>(index =>
        {
            index.ToTable("gateway_phone_numbers");
            // The key is the lookup: number first, so "WHERE number = ?" is one index range.
            index.HasKey(p => new { p.Number, p.CustomerId });
            index.Property(p => p.Number).HasColumnName("number").HasMaxLength(20).IsUnicode(false);
            index.Property(p => p.CustomerId).HasColumnName("customer_id");
            index.HasIndex(p => p.CustomerId).HasDatabaseName("ix_gateway_phone_numbers_customer");
        });

        modelBuilder.Entity<Calls.CallRecord>(call =>
        {
            call.ToTable("gateway_calls");
            call.HasKey(c => c.Id);
            call.Property(c => c.Id).HasColumnName("id");
            call.Property(c => c.CallId).HasColumnName("call_id").HasMaxLength(64);
            call.Property(c => c.Extension).HasColumnName("extension").HasMaxLength(40);
            call.Property(c => c.CallerNumber).HasColumnName("caller_number").HasMaxLength(80);
            call.Property(c => c.NormalizedNumber).HasColumnName("normalized_number").HasMaxLength(20);
            call.Property(c => c.CustomerId).HasColumnName("customer_id");
            call.Property(c => c.Lookup).HasColumnName("lookup").HasMaxLength(20);
            call.Property(c => c.State).HasColumnName("state").HasMaxLength(20);
            call.Property(c => c.Source).HasColumnName("source").HasMaxLength(10);
            call.Property(c => c.StartedAt).HasColumnName("started_at");
            call.Property(c => c.AnsweredAt).HasColumnName("answered_at");
            call.Property(c => c.EndedAt).HasColumnName("ended_at");
            call.Property(c => c.Payload).HasColumnName("payload");
            call.HasIndex(c => new { c.CallId, c.Extension }).IsUnique().HasDatabaseName("ux_gateway_calls_call_extension");
            // "Recent calls of my extensions": newest first, per extension.
            call.HasIndex(c => new { c.Extension, c.StartedAt }).HasDatabaseName("ix_gateway_calls_extension_started");
            call.HasIndex(c => c.StartedAt).HasDatabaseName("ix_gateway_calls_started");
        });

        modelBuilder.Entity<GatewaySetting>(setting =>
        {
            setting.ToTable("gateway_settings");
            setting.HasKey(s => s.Name);
            setting.Property(s => s.Name).HasColumnName("name").HasMaxLength(64).IsUnicode(false);
            setting.Property(s => s.Value).HasColumnName("value").HasMaxLength(400);
        });

        modelBuilder.Entity<IndexedCustomer>(indexed =>
        {
            indexed.ToTable("gateway_indexed_customers");
            indexed.HasKey(c => c.CustomerId);
            indexed.Property(c => c.CustomerId).HasColumnName("customer_id").ValueGeneratedNever();
            indexed.Property(c => c.IndexedAt).HasColumnName("indexed_at");
            var numbers = indexed.Property(c => c.PhoneNumbers).HasColumnName("phone_numbers");
            if (isMySql)
            {
                // Byte-exact comparison with CAST(customers.phone_numbers AS CHAR), see PhoneIndexSql.
                numbers.HasColumnType("longtext").UseCollation("utf8mb4_bin");
            }
        });
    }
}

// One subclass per provider and schema so each provider keeps a migration set of its own
// (column types differ); the app registers the pair that matches Database:Provider.
public sealed class SqliteInvoicingDbContext(DbContextOptions<SqliteInvoicingDbContext> options) : InvoicingDbContext(options);

public sealed class MySqlInvoicingDbContext(DbContextOptions<MySqlInvoicingDbContext> options) : InvoicingDbContext(options);

public sealed class SqliteGatewayDbContext(DbContextOptions<SqliteGatewayDbContext> options) : GatewayDbContext(options);

public sealed class MySqlGatewayDbContext(DbContextOptions<MySqlGatewayDbContext> options) : GatewayDbContext(options);
