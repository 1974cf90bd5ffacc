using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Data;

/// <summary>
/// Attach mode: the invoicing app's database already exists with its own customers and invoices;
/// the gateway reads them, adds only tables of its own, and changes nothing of theirs.
/// </summary>
public class AttachModeTests
{
    // An invoicing app's schema, with columns the gateway does not know and no index it would have chosen.
    private const string MySqlInvoicingSchema = """
        CREATE TABLE customers (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          name VARCHAR(255) NOT NULL,
          phone_numbers JSON NULL,
          address TEXT NULL,
          national_id VARCHAR(10) NULL
        );
        CREATE TABLE invoices (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          customer_id BIGINT NOT NULL,
          number VARCHAR(40) NOT NULL,
          issued_at DATETIME NOT NULL,
          total_amount DECIMAL(20,0) NOT NULL,
          status VARCHAR(20) NOT NULL,
          notes TEXT NULL,
          KEY fk_invoices_customer (customer_id)
        );
        INSERT INTO customers (name, phone_numbers, address) VALUES ('خلیلی', '["09123456789", "12345678", "02112345678"]', 'تهران');
        INSERT INTO invoices (customer_id, number, issued_at, total_amount, status) VALUES (1, 'A-1', '2026-10-01 09:00:00', 1000, 'paid'), (1, 'A-2', '2026-11-01 09:00:00', 2500000, 'issued');
        """;

    private const string SqliteInvoicingSchema = """
        CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, phone_numbers TEXT, address TEXT);
        CREATE TABLE invoices (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INTEGER NOT NULL, number TEXT NOT NULL, issued_at TEXT NOT NULL, total_amount NUMERIC NOT NULL, status TEXT NOT NULL);
        INSERT INTO customers (name, phone_numbers, address) VALUES ('خلیلی', '["09123456789", "12345678", "02112345678"]', 'تهران');
        INSERT INTO invoices (customer_id, number, issued_at, total_amount, status) VALUES (1, 'A-1', '2026-10-01 09:00:00', 1000, 'paid'), (1, 'A-2', '2026-11-01 09:00:00', 2500000, 'issued');
        """;

    [Fact]
    public async Task On_mysql_the_gateway_reads_an_existing_invoicing_database_and_alters_nothing_of_it()
    {
        var connectionString = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("attach");
        await ExecuteAsync(new MySqlConnection(connectionString), MySqlInvoicingSchema);
        var before = await SnapshotAsync(new MySqlConnection(connectionString), "SHOW CREATE TABLE customers", "SHOW CREATE TABLE invoices", "CHECKSUM TABLE customers, invoices EXTENDED");

        await using var app = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?> { ["Database:Mode"] = "Attach" }, connectionString);
        await AssertAttachedAsync(app);

        var after = await SnapshotAsync(new MySqlConnection(connectionString), "SHOW CREATE TABLE customers", "SHOW CREATE TABLE invoices", "CHECKSUM TABLE customers, invoices EXTENDED");
        Assert.Equal(before, after);
        var tables = await SnapshotAsync(new MySqlConnection(connectionString), "SHOW TABLES");
        Assert.Contains("gateway_phone_numbers", tables);
        Assert.Contains("__gateway_migrations", tables);
        Assert.DoesNotContain("__invoicing_migrations", tables);
    }

    /// <summary>
    /// Column types invoicing schemas really use: rials as integers (BIGINT, INT, unsigned) or decimals,
    /// dates with or without a time, INT or BIGINT ids (also unsigned), numbers as JSON or as text holding
    /// a JSON array, a status that may be NULL.
    /// </summary>
    public static TheoryData<string, string, string, string, string, string?> InvoicingColumnTypes => new()
    {
        // customers.id,   invoices.id and customer_id, issued_at,  total_amount,     phone_numbers, status (NULL: nullable and NULL)
        { "BIGINT", "BIGINT", "DATETIME", "BIGINT", "JSON", "paid" },
        { "INT", "INT", "DATETIME", "INT", "JSON", "paid" },
        { "INT UNSIGNED", "INT UNSIGNED", "DATE", "BIGINT UNSIGNED", "TEXT", "paid" },
        { "BIGINT UNSIGNED", "BIGINT UNSIGNED", "TIMESTAMP", "DECIMAL(18,2)", "VARCHAR(500)", null },
        { "INT", "BIGINT", "DATETIME(6)", "DECIMAL(20,4)", "LONGTEXT", null },
        { "BIGINT", "INT", "DATE", "DOUBLE", "JSON", null },
    };

    [Theory]
    [MemberData(nameof(InvoicingColumnTypes))]
    public async Task On_mysql_the_gateway_reads_the_column_types_invoicing_schemas_use(
        string customerId, string invoiceIds, string issuedAt, string totalAmount, string phoneNumbers, string? status)
    {
        var connectionString = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("attach");
        var statusColumn = status is null ? "VARCHAR(20) NULL" : "VARCHAR(20) NOT NULL";
        var statusValue = status is null ? "NULL" : $"'{status}'";
        await ExecuteAsync(new MySqlConnection(connectionString), $"""
            CREATE TABLE customers (id {customerId} NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, phone_numbers {phoneNumbers} NULL);
            CREATE TABLE invoices (
              id {invoiceIds} NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id {invoiceIds} NOT NULL, number VARCHAR(40) NOT NULL,
              issued_at {issuedAt} NOT NULL, total_amount {totalAmount} NOT NULL, status {statusColumn}, KEY (customer_id));
            INSERT INTO customers (name, phone_numbers) VALUES ('خلیلی', '["09123456789", "12345678"]');
            INSERT INTO invoices (customer_id, number, issued_at, total_amount, status)
              VALUES (1, 'A-1', '2026-10-01', 1000, 'paid'), (1, 'A-2', '2026-11-01', 2500000, {statusValue});
            """);

        await using var app = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?> { ["Database:Mode"] = "Attach" }, connectionString);
        var client = app.Start();

        var found = await app.LookupAsync(client, "021 1234 5678");
        Assert.NotNull(found);
        Assert.Equal(1, found.Customer!.Id);
        Assert.Equal("خلیلی", found.Customer.Name);
        Assert.Equal(["09123456789", "12345678"], found.Customer.PhoneNumbers);
        Assert.Equal(2, found.LastInvoice!.Id);
        Assert.Equal("A-2", found.LastInvoice.Number);
        Assert.Equal(new DateOnly(2026, 11, 1), DateOnly.FromDateTime(found.LastInvoice.IssuedAt!.Value.UtcDateTime));
        Assert.Equal(2_500_000m, found.LastInvoice.TotalAmount);
        Assert.Equal(status ?? "", found.LastInvoice.Status);
    }

    [Fact]
    public async Task On_mysql_an_invoice_without_a_date_is_shown_without_one_and_a_dated_one_comes_first()
    {
        var connectionString = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("attach");
        await ExecuteAsync(new MySqlConnection(connectionString), """
            CREATE TABLE customers (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, phone_numbers JSON NULL);
            CREATE TABLE invoices (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, number VARCHAR(40) NOT NULL,
              issued_at DATETIME NULL, total_amount BIGINT NOT NULL, status VARCHAR(20) NOT NULL, KEY (customer_id));
            INSERT INTO customers (name, phone_numbers) VALUES ('خلیلی', '["09123456789"]'), ('رضایی', '["09351234567"]');
            INSERT INTO invoices (customer_id, number, issued_at, total_amount, status)
              VALUES (2, 'B-1', NULL, 700, 'draft'), (1, 'A-1', '2026-10-01', 1000, 'paid'), (1, 'A-2', NULL, 2500, 'draft');
            """);

        await using var app = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?> { ["Database:Mode"] = "Attach" }, connectionString);
        var client = app.Start();

        var dated = await app.LookupAsync(client, "09123456789");
        Assert.Equal("A-1", dated!.LastInvoice!.Number);
        Assert.Equal(new DateOnly(2026, 10, 1), DateOnly.FromDateTime(dated.LastInvoice.IssuedAt!.Value.UtcDateTime));
        var undated = await app.LookupAsync(client, "09351234567");
        Assert.Equal("B-1", undated!.LastInvoice!.Number);
        Assert.Null(undated.LastInvoice.IssuedAt);
    }

    [Fact]
    public async Task On_sqlite_the_gateway_reads_an_existing_invoicing_database_and_alters_nothing_of_it()
    {
        var file = TestFiles.NewPath("callerid-attach", ".db");
        var connectionString = $"Data Source={file}";
        await ExecuteAsync(new SqliteConnection(connectionString), SqliteInvoicingSchema);
        const string schema = "SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name IN ('customers', 'invoices')";
        const string rows = "SELECT group_concat(id || name || phone_numbers || address, ';') FROM customers";
        var before = await SnapshotAsync(new SqliteConnection(connectionString), schema, rows);

        await using var app = GatewayApp.OnSqlite(new Dictionary<string, string?> { ["Database:Mode"] = "Attach" }, file);
        await AssertAttachedAsync(app);

        Assert.Equal(before, await SnapshotAsync(new SqliteConnection(connectionString), schema, rows));
    }

    [Fact]
    public async Task Attach_mode_without_invoicing_tables_stops_the_start_with_a_clear_message()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:Mode"] = "Attach",
            ["ConnectionStrings:Gateway"] = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("gateway"),
        });

        Hosting.ConfigurationTests.AssertStoppedNaming("customers(id, name, phone_numbers)", exit);
    }

    private static async Task AssertAttachedAsync(GatewayApp app)
    {
        var client = app.Start();

        var found = await app.LookupAsync(client, "+989123456789");
        Assert.Equal("خلیلی", found!.Customer!.Name);
        Assert.Equal("A-2", found.LastInvoice!.Number);
        Assert.Equal(2_500_000m, found.LastInvoice.TotalAmount);

        var put = await client.PutAsJsonAsync("/api/customers/1/phone-numbers", new { phoneNumbers = new[] { "09120000000" } });
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> SnapshotAsync(DbConnection connection, params string[] queries)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            var text = new System.Text.StringBuilder();
            foreach (var query in queries)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = query;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i)).Append('|');
                    }
                    text.AppendLine();
                }
            }
            return text.ToString();
        }
    }
}
