using System.Diagnostics;
using MySqlConnector;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// Creates the invoicing tables exactly as the gateway's Own-mode migration does
/// (Data/Migrations/MySql/Invoicing), plus <c>bench_phone_numbers</c> for the floor endpoint (the
/// same shape as <c>gateway_phone_numbers</c>), and fills them with LOAD DATA LOCAL INFILE.
/// The gateway then runs in Attach mode: it adds only its own tables and builds its index itself.
/// </summary>
internal static class DataLoader
{
    private static readonly string[] Schema =
    [
        """
        CREATE TABLE customers (
            id bigint NOT NULL AUTO_INCREMENT,
            name varchar(200) CHARACTER SET utf8mb4 NOT NULL,
            phone_numbers json NOT NULL,
            email varchar(200) CHARACTER SET utf8mb4 NULL,
            created_at datetime(6) NOT NULL,
            CONSTRAINT PK_customers PRIMARY KEY (id)
        ) CHARACTER SET=utf8mb4
        """,
        """
        CREATE TABLE invoices (
            id bigint NOT NULL AUTO_INCREMENT,
            customer_id bigint NOT NULL,
            number varchar(50) CHARACTER SET utf8mb4 NOT NULL,
            issued_at datetime(6) NOT NULL,
            total_amount decimal(18,2) NOT NULL,
            status varchar(20) CHARACTER SET utf8mb4 NOT NULL,
            CONSTRAINT PK_invoices PRIMARY KEY (id),
            CONSTRAINT FK_invoices_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
        ) CHARACTER SET=utf8mb4
        """,
        "CREATE INDEX ix_invoices_customer_issued ON invoices (customer_id, issued_at)",
        """
        CREATE TABLE bench_phone_numbers (
            number varchar(20) CHARACTER SET utf8mb4 NOT NULL,
            customer_id bigint NOT NULL,
            CONSTRAINT PK_bench_phone_numbers PRIMARY KEY (number, customer_id)
        ) CHARACTER SET=utf8mb4
        """,
    ];

    public static async Task<int> RunAsync(string connectionString, string dataDirectory)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString) { AllowLoadLocalInfile = true, DefaultCommandTimeout = 0 };
        var database = builder.Database;
        builder.Database = "";
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        await ExecuteAsync(connection, $"USE `{database}`");
        foreach (var statement in Schema)
        {
            await ExecuteAsync(connection, statement);
        }
        await ExecuteAsync(connection, "SET SESSION foreign_key_checks = 0, unique_checks = 0");

        var total = Stopwatch.StartNew();
        await LoadAsync(connection, dataDirectory, DataGenerator.CustomersFile, "customers", ["id", "name", "phone_numbers", "email", "created_at"]);
        await LoadAsync(connection, dataDirectory, DataGenerator.InvoicesFile, "invoices", ["id", "customer_id", "number", "issued_at", "total_amount", "status"]);
        await LoadAsync(connection, dataDirectory, DataGenerator.NumbersFile, "bench_phone_numbers", ["number", "customer_id"]);
        await ExecuteAsync(connection, "ANALYZE TABLE customers, invoices, bench_phone_numbers");
        Console.WriteLine($"loadSeconds\t{total.Elapsed.TotalSeconds:F1}");
        return 0;
    }

    private static async Task LoadAsync(MySqlConnection connection, string directory, string file, string table, string[] columns)
    {
        var watch = Stopwatch.StartNew();
        await using var stream = File.OpenRead(Path.Combine(directory, file));
        var loader = new MySqlBulkLoader(connection)
        {
            Local = true,
            SourceStream = stream,
            TableName = table,
            CharacterSet = "utf8mb4",
            FieldTerminator = "\t", // escape character: the server default, backslash (\\N is NULL)
            LineTerminator = "\n",
            Timeout = 0,
        };
        loader.Columns.AddRange(columns);
        var rows = await loader.LoadAsync();
        Console.WriteLine($"loaded\t{table}\t{rows}\t{watch.Elapsed.TotalSeconds:F1}s");
    }

    private static async Task<int> ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync();
    }
}
