using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Customers;

/// <summary>
/// The lookup as one round trip: index probe → customer → newest invoice. Written as SQL because
/// the "newest invoice per customer" must be a correlated LIMIT 1 on the (customer_id, issued_at)
/// index on every provider (MariaDB has no LATERAL join, which is what LINQ would produce).
/// </summary>
internal static class LookupSql
{
    public static IQueryable<LookupRow> ByNumber(GatewayDbContext db, string normalized) =>
        db.Database.SqlQueryRaw<LookupRow>(Sql(db.Database.IsMySql()), normalized);

    /// <summary>The query text with <c>{0}</c> for the normalized number (tests EXPLAIN it).</summary>
    public static string Sql(bool isMySql)
    {
        var numbersText = isMySql ? "CAST(c.phone_numbers AS CHAR)" : "c.phone_numbers";
        return $$"""
            SELECT c.id AS CustomerId, c.name AS Name, {{numbersText}} AS PhoneNumbers,
                   i.id AS InvoiceId, i.number AS InvoiceNumber, i.issued_at AS IssuedAt, i.total_amount AS TotalAmount, i.status AS Status
            FROM gateway_phone_numbers AS p
            JOIN customers AS c ON c.id = p.customer_id
            LEFT JOIN invoices AS i ON i.id = (
                SELECT i2.id FROM invoices AS i2
                WHERE i2.customer_id = c.id
                ORDER BY i2.issued_at DESC, i2.id DESC
                LIMIT 1)
            WHERE p.number = {0}
            """;
    }
}

internal sealed class LookupRow
{
    public long CustomerId { get; init; }

    public string Name { get; init; } = "";

    public string? PhoneNumbers { get; init; }

    public long? InvoiceId { get; init; }

    public string? InvoiceNumber { get; init; }

    public DateTime? IssuedAt { get; init; }

    public decimal? TotalAmount { get; init; }

    public string? Status { get; init; }
}
