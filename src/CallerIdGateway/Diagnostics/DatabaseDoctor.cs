using System.Diagnostics;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.Hosting;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// The database as the gateway needs it: reachable, its schema current (in Attach mode, the
/// invoicing tables and columns it reads), and the number index built under today's rules and in
/// step with <c>customers.phone_numbers</c>. Reads only.
/// </summary>
internal sealed class DatabaseDoctor(IServiceProvider services, DatabaseOptions options, PhoneNumberNormalizer normalizer, IConfiguration configuration)
{
    /// <summary>Returns false when the database cannot be used at all (later checks that need it are pointless).</summary>
    public async Task<bool> CheckAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        GatewayDbContext db;
        TimeSpan roundTrip;
        try
        {
            db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            roundTrip = Stopwatch.GetElapsedTime(started);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            report.Fail("database", StartupFailure.Describe(e, configuration),
                "Check ConnectionStrings:Gateway and Database:Provider, and that the database server runs and lets this host in.");
            return false;
        }
        report.Pass("database", $"{options.Provider} {Where(db)} answers (a query takes {roundTrip.TotalMilliseconds:0.0} ms).");

        if (!await SchemaIsCurrentAsync(report, scope.ServiceProvider, db, cancellationToken))
        {
            return true;
        }
        await CheckIndexAsync(report, db, cancellationToken);
        return true;
    }

    private async Task<bool> SchemaIsCurrentAsync(DoctorReport report, IServiceProvider scoped, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (options.Mode == DatabaseMode.Own)
        {
            var invoicing = scoped.GetRequiredService<InvoicingDbContext>();
            pending.InsertRange(0, await invoicing.Database.GetPendingMigrationsAsync(cancellationToken));
        }
        else
        {
            if (options.Provider == DatabaseProvider.MySql && !await AttachColumnsFitAsync(report, db, cancellationToken))
            {
                return false;
            }
            try
            {
                _ = await db.Customers.Select(c => new { c.Id, c.Name, c.PhoneNumbers }).FirstOrDefaultAsync(cancellationToken);
                _ = await db.Invoices.Select(i => new { i.Id, i.CustomerId, i.Number, IssuedAt = (DateTime?)i.IssuedAt, i.TotalAmount, i.Status }).FirstOrDefaultAsync(cancellationToken);
                report.Pass("invoicing tables", "customers(id, name, phone_numbers) and invoices(id, customer_id, number, issued_at, total_amount, status) can be read.");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                report.Fail("invoicing tables", $"Database:Mode is Attach, but they cannot be read: {e.GetBaseException().Message}",
                    "Point ConnectionStrings:Gateway at the invoicing database, with a user that may SELECT customers and invoices.");
                return false;
            }
        }
        if (pending.Count > 0)
        {
            report.Fail("schema", $"{pending.Count} migration(s) not applied yet ({string.Join(", ", pending.Select(m => m[(m.IndexOf('_') + 1)..]))}).",
                "Start the gateway once: it migrates the database at start.");
            return false;
        }
        report.Pass("schema", options.Mode == DatabaseMode.Own ? "every table is current." : "the gateway's own tables are current.");
        return true;
    }

    // Before AttachColumns: static fields are initialized in the order they are written.
    private static readonly string[] Integers = ["tinyint", "smallint", "mediumint", "int", "bigint"];

    private static readonly string[] Texts = ["char", "varchar", "tinytext", "text", "mediumtext", "longtext"];

    /// <summary>
    /// The invoicing app chose its column types; the lookup reads ids as any integer, amounts as any
    /// number and texts as any text (LookupSql), the number index parses phone_numbers as a JSON array
    /// kept in JSON or text. Anything else fails at the first ringing call, so it is named here.
    /// </summary>
    private static readonly (string Table, string Column, string[] Types, string Accepted)[] AttachColumns =
    [
        ("customers", "id", Integers, "an integer type"),
        ("customers", "name", Texts, "a text type"),
        ("customers", "phone_numbers", [.. Texts, "json"], "JSON or a text type (a JSON array of strings)"),
        ("invoices", "id", Integers, "an integer type"),
        ("invoices", "customer_id", Integers, "an integer type"),
        ("invoices", "number", Texts, "a text type"),
        ("invoices", "issued_at", ["datetime", "timestamp", "date"], "DATETIME, TIMESTAMP or DATE"),
        ("invoices", "total_amount", [.. Integers, "decimal", "double", "float"], "DECIMAL or an integer type"),
        ("invoices", "status", [.. Texts, "enum"], "a text type or ENUM"),
    ];

    private static async Task<bool> AttachColumnsFitAsync(DoctorReport report, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string), string>();
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.CommandText = """
                SELECT LOWER(TABLE_NAME), LOWER(COLUMN_NAME), LOWER(DATA_TYPE), COLUMN_TYPE FROM information_schema.COLUMNS
                WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('customers', 'invoices')
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[(reader.GetString(0), reader.GetString(1))] = $"{reader.GetString(2)}|{reader.GetString(3)}";
            }
        }
        var wrong = new List<string>();
        foreach (var (table, column, types, accepted) in AttachColumns)
        {
            if (!found.TryGetValue((table, column), out var type))
            {
                wrong.Add($"{table}.{column} is missing");
                continue;
            }
            var (dataType, columnType) = (type.Split('|')[0], type.Split('|')[1]);
            if (!types.Contains(dataType))
            {
                wrong.Add($"{table}.{column} is {columnType.ToUpperInvariant()}, the gateway reads {accepted}");
            }
        }
        if (wrong.Count > 0)
        {
            report.Fail("invoicing columns", $"Database:Mode is Attach, but {string.Join("; ", wrong)}.",
                "Point ConnectionStrings:Gateway at the invoicing database; if these are its real columns, give the gateway views named customers and invoices, in a database of its own, that CAST them to those types.");
            return false;
        }
        report.Pass("invoicing columns", "customers(id, name, phone_numbers) and invoices(id, customer_id, number, issued_at, total_amount, status) have types the gateway reads.");
        return true;
    }

    private async Task CheckIndexAsync(DoctorReport report, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var rules = await db.Settings.Where(s => s.Name == PhoneIndex.RulesSetting).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        if (rules is null)
        {
            report.Fail("number index", "has never been built.", "Start the gateway: it builds the index at start (a large database in the background).");
            return;
        }
        if (rules != normalizer.Rules)
        {
            report.Fail("number index", $"was built under other number rules ({rules}; now {normalizer.Rules}).",
                "Start the gateway: its first sync re-indexes every customer while the old entries go on answering.");
            return;
        }
        var customers = await db.Customers.CountAsync(cancellationToken);
        var entries = await db.PhoneNumberIndex.CountAsync(cancellationToken);
        var behind = await PhoneIndexSql.ChangedCustomers(db, 0, int.MaxValue).CountAsync(cancellationToken)
            + await PhoneIndexSql.DeletedCustomers(db).CountAsync(cancellationToken);
        if (behind > 0)
        {
            report.Fail("number index", $"{behind} of {customers} customers changed since they were indexed.",
                $"A running gateway catches up within Database:PhoneIndexSyncInterval ({options.PhoneIndexSyncInterval}); if it stays behind, its log says why ('Phone number index sync failed').");
            return;
        }
        report.Pass("number index", $"in step: {entries} numbers of {customers} customers.");
    }

    private static string Where(GatewayDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        return connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? Path.GetFullPath(sqlite.DataSource)
            : $"{connection.DataSource}/{connection.Database}";
    }
}
