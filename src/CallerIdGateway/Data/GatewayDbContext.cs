using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Data;

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
public sealed class SqliteGatewayDbContext(DbContextOptions<SqliteGatewayDbContext> options) : GatewayDbContext(options);

public sealed class MySqlGatewayDbContext(DbContextOptions<MySqlGatewayDbContext> options) : GatewayDbContext(options);
