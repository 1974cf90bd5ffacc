using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.Data;

public enum DatabaseProvider
{
    Sqlite,
    MySql,
}

public enum DatabaseMode
{
    /// <summary>The gateway owns the database: migrations create customers and invoices too, and an empty database gets demo data.</summary>
    Own,

    /// <summary>The invoicing app owns customers and invoices: the gateway only reads them and migrates its own tables.</summary>
    Attach,
}

/// <summary>Settings of section <c>Database</c>; the connection string is <c>ConnectionStrings:Gateway</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public DatabaseMode Mode { get; set; } = DatabaseMode.Own;

    /// <summary>From <c>ConnectionStrings:Gateway</c>; empty on SQLite means <c>callerid-gateway.db</c> in the working directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>MySQL/MariaDB server version such as <c>8.4.0-mysql</c> or <c>10.11.0-mariadb</c>; empty = ask the server at start.</summary>
    public string? ServerVersion { get; set; }

    /// <summary>Seed demo customers and invoices into an empty database in <see cref="DatabaseMode.Own"/> mode.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>
    /// How often the number index is reconciled with <c>customers.phone_numbers</c>, so numbers that
    /// another application writes become findable (and removed ones stop matching) without a restart.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Database:PhoneIndexSyncInterval must be between 00:00:01 and 01:00:00.")]
    public TimeSpan PhoneIndexSyncInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many customers one reconciliation step reads and re-indexes at a time.</summary>
    [Range(100, 100_000, ErrorMessage = "Database:PhoneIndexBatchSize must be between 100 and 100000.")]
    public int PhoneIndexBatchSize { get; set; } = 5_000;

    /// <summary>A lookup that takes longer than this answers "unavailable" instead of holding up a ringing call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Database:LookupTimeout must be between 00:00:00.050 and 00:01:00.")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lookups (within 10 s) before the lookup circuit breaker may open: when at least half of them
    /// failed or outlived <see cref="LookupTimeout"/>, lookups answer "unavailable" at once instead of
    /// asking a database that does not answer.
    /// </summary>
    [Range(2, 1_000, ErrorMessage = "Database:LookupBreakerMinimumThroughput must be between 2 and 1000.")]
    public int LookupBreakerMinimumThroughput { get; set; } = 3;

    /// <summary>How long the open breaker answers for the database before one lookup probes it again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00", ErrorMessage = "Database:LookupBreakerBreakDuration must be between 00:00:00.500 and 00:10:00.")]
    public TimeSpan LookupBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lookup result is reused; changes to a customer's numbers clear it at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Database:LookupCacheDuration must be between 00:00:00 and 00:10:00.")]
    public TimeSpan LookupCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Currency of <c>invoices.total_amount</c> (the invoicing schema has no currency column).</summary>
    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Database:InvoiceCurrency must be an ISO 4217 code such as IRR.")]
    public string InvoiceCurrency { get; set; } = "IRR";
}
