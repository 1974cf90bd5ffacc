using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Customers;

/// <summary>
/// The reconciliation queries and the index's bulk insert. The queries compare text inside the
/// database so that only changed customers travel to the gateway; the comparison needs a
/// provider-specific cast (MySQL's JSON type must become text, compared byte for byte).
/// </summary>
internal static class PhoneIndexSql
{
    public static IQueryable<CustomerNumbersRow> ChangedCustomers(GatewayDbContext db, long afterId, int limit)
    {
        var numbersText = NumbersText(db);
#pragma warning disable EF1002 // only the provider's cast expression is interpolated; values are parameters
        return db.Database.SqlQueryRaw<CustomerNumbersRow>(
            $$"""
            SELECT c.id AS Id, {{numbersText}} AS PhoneNumbers
            FROM customers AS c
            LEFT JOIN gateway_indexed_customers AS s ON s.customer_id = c.id
            WHERE c.id > {0} AND (s.customer_id IS NULL OR s.phone_numbers <> {{numbersText}})
            ORDER BY c.id
            LIMIT {1}
            """, afterId, limit);
#pragma warning restore EF1002
    }

    public static IQueryable<CustomerNumbersRow> Customer(GatewayDbContext db, long id) =>
#pragma warning disable EF1002 // only the provider's cast expression is interpolated; the id is a parameter
        db.Database.SqlQueryRaw<CustomerNumbersRow>($"SELECT c.id AS Id, {NumbersText(db)} AS PhoneNumbers FROM customers AS c WHERE c.id = {{0}}", id);
#pragma warning restore EF1002

    /// <summary><c>customers.phone_numbers</c> as text that compares byte for byte with the stored copy.</summary>
    private static string NumbersText(GatewayDbContext db) => db.Database.IsMySql()
        ? "COALESCE(CAST(c.phone_numbers AS CHAR), '') COLLATE utf8mb4_bin"
        : "COALESCE(CAST(c.phone_numbers AS TEXT), '')";

    public static IQueryable<long> DeletedCustomers(GatewayDbContext db) =>
        db.Database.SqlQueryRaw<long>(
            """
            SELECT s.customer_id AS Value
            FROM gateway_indexed_customers AS s
            LEFT JOIN customers AS c ON c.id = s.customer_id
            WHERE c.id IS NULL
            """);

    /// <summary>
    /// <c>INSERT INTO table (columns) VALUES (…), (…)</c> in statements of at most 500 rows;
    /// <paramref name="values"/> holds the rows one after another, <paramref name="width"/> values each,
    /// all sent as parameters.
    /// </summary>
    public static async Task InsertAsync(GatewayDbContext db, string table, string columns, int width, List<object> values, CancellationToken cancellationToken)
    {
        const int rowsPerStatement = 500;
        for (var start = 0; start < values.Count; start += rowsPerStatement * width)
        {
            var count = Math.Min(rowsPerStatement * width, values.Count - start);
            var sql = SqlText.MultiRowInsert(table, columns, count, width, "{", "}").ToString();
            await db.Database.ExecuteSqlRawAsync(sql, values.GetRange(start, count), cancellationToken);
        }
    }
}
