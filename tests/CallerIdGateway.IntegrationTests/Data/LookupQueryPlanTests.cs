using CallerIdGateway.Customers;
using CallerIdGateway.IntegrationTests.Infrastructure;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Data;

/// <summary>A lookup must never scan customers: the plan is index probes from the number down to the newest invoice.</summary>
public class LookupQueryPlanTests
{
    [Fact]
    public async Task The_lookup_uses_indexes_on_mysql_and_scans_no_table()
    {
        await using var app = await GatewayApp.OnMySqlAsync();
        var client = app.Start();
        await using var connection = new MySqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // Enough rows that a scan would look tempting to the optimizer if no index served.
        await ExecuteAsync(connection, """
            SET SESSION max_recursive_iterations = 100000;
            INSERT INTO customers (name, phone_numbers, created_at)
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 3000)
            SELECT CONCAT('Customer ', n), CONCAT('["0912', LPAD(n, 7, '0'), '"]'), NOW() FROM seq;
            INSERT INTO invoices (customer_id, number, issued_at, total_amount, status)
            SELECT id, CONCAT('INV-', id), NOW(), 1000, 'paid' FROM customers;
            ANALYZE TABLE customers, invoices;
            """);
        await app.SyncPhoneIndexAsync();
        await ExecuteAsync(connection, "ANALYZE TABLE gateway_phone_numbers");

        var plan = await ExplainAsync(connection, LookupSql.Sql(isMySql: true).Replace("{0}", "'+989120001234'"));

        Assert.DoesNotContain(plan, row => row.Type == "ALL");
        Assert.Contains(plan, row => row.Table == "p" && row.Key == "PRIMARY");
        Assert.Contains(plan, row => row.Table == "c" && row.Key == "PRIMARY" && row.Type == "eq_ref");
        Assert.Contains(plan, row => row.Table == "i2" && row.Key == "ix_invoices_customer_issued");
        Assert.Equal("Customer 1234", (await app.LookupAsync(client, "09120001234"))!.Customer!.Name);
    }

    private sealed record PlanRow(string Table, string Type, string? Key);

    private static async Task<List<PlanRow>> ExplainAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand("EXPLAIN " + sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<PlanRow>();
        while (await reader.ReadAsync())
        {
            var key = reader["key"];
            rows.Add(new PlanRow(reader["table"]?.ToString() ?? "", reader["type"]?.ToString() ?? "", key is DBNull ? null : key.ToString()));
        }
        return rows;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
