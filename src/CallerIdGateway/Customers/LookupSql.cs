using System.Data;
using System.Data.Common;
using System.Globalization;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Customers;

/// <summary>
/// The lookup as one round trip: index probe → customer → newest invoice. Written as SQL because
/// the "newest invoice per customer" must be a correlated LIMIT 1 on the (customer_id, issued_at)
/// index on every provider (MariaDB has no LATERAL join, which is what LINQ would produce), and run
/// on the pooled context's connection through the driver itself: EF's raw-SQL query pipeline cost
/// about as much again as the database's own answer (the figures are in docs/performance.md, "Lookup").
/// </summary>
internal static class LookupSql
{
    /// <summary>The parameter of <see cref="CommandText"/>: the normalized number.</summary>
    public const string NumberParameter = "@number";

    private static readonly string MySqlCommandText = Sql(isMySql: true).Replace("{0}", NumberParameter, StringComparison.Ordinal);
    private static readonly string SqliteCommandText = Sql(isMySql: false).Replace("{0}", NumberParameter, StringComparison.Ordinal);

    /// <summary>The command the lookup runs, with <see cref="NumberParameter"/>.</summary>
    public static string CommandText(bool isMySql) => isMySql ? MySqlCommandText : SqliteCommandText;

    /// <summary>
    /// The rows of every customer indexed under the normalized number, with their newest invoice.
    /// <paramref name="commandTimeoutSeconds"/> bounds the command in the driver itself (null: the
    /// connection's default, 30 s on MySqlConnector).
    /// </summary>
    public static async Task<List<LookupRow>> ByNumberAsync(GatewayDbContext db, string normalized, CancellationToken cancellationToken, int? commandTimeoutSeconds = null)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = CommandText(db.Database.IsMySql());
            if (commandTimeoutSeconds is { } timeout)
            {
                command.CommandTimeout = timeout;
            }
            var number = command.CreateParameter();
            number.ParameterName = NumberParameter;
            number.DbType = DbType.String;
            number.Value = normalized;
            command.Parameters.Add(number);

            var rows = new List<LookupRow>(1);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleResult, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static LookupRow Read(DbDataReader reader) => new()
    {
        CustomerId = ReadInt64(reader, 0),
        Name = ReadText(reader, 1),
        PhoneNumbers = reader.IsDBNull(2) ? null : reader.GetString(2),
        InvoiceId = reader.IsDBNull(3) ? null : ReadInt64(reader, 3),
        InvoiceNumber = reader.IsDBNull(4) ? null : ReadText(reader, 4),
        IssuedAt = reader.IsDBNull(5) ? null : reader.GetDateTime(5),
        TotalAmount = reader.IsDBNull(6) ? null : ReadDecimal(reader, 6),
        Status = reader.IsDBNull(7) ? null : ReadText(reader, 7),
    };

    // The invoicing app chose the column types: ids are INT or BIGINT, signed or not, amounts integers
    // (rials) or decimals, and the drivers' typed getters refuse to convert between them. The types the
    // gateway's own schema uses take the typed getter; any other is converted (boxed, only for such schemas).
    private static long ReadInt64(DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(long) ? reader.GetInt64(ordinal) : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static decimal ReadDecimal(DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(decimal) ? reader.GetDecimal(ordinal) : Convert.ToDecimal(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static string ReadText(DbDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(string) ? reader.GetString(ordinal) : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? "";

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
