using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using MySqlConnector;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// The two references of the lookup load run, served by one bare Kestrel process over the raw
/// MySqlConnector driver (no EF, no validation, no logging):
/// <list type="bullet">
/// <item><c>/floor/by-phone/{n}</c> — the floor: an Iran-only digit fix-up of the caller ID to E.164,
/// then one round trip that probes the pre-normalized <c>bench_phone_numbers</c> key and returns the
/// same facts as the gateway (customer + newest invoice).</item>
/// <item><c>/naive/by-phone/{n}</c> — the query a user writes first:
/// <c>JSON_CONTAINS(phone_numbers, JSON_QUOTE(?))</c> over <c>customers</c>, exact string match.</item>
/// </list>
/// Both answer <c>{"customer":{"id":…,"name":…,"phoneNumbers":[…]},"lastInvoice":{…}}</c> or 404.
/// </summary>
internal static class FloorServer
{
    private const string LastInvoiceJoin = """
        LEFT JOIN invoices AS i ON i.id = (
            SELECT i2.id FROM invoices AS i2
            WHERE i2.customer_id = c.id
            ORDER BY i2.issued_at DESC, i2.id DESC
            LIMIT 1)
        """;

    private const string Columns =
        "c.id, c.name, CAST(c.phone_numbers AS CHAR), i.id, i.number, i.issued_at, i.total_amount, i.status";

    public const string FloorSql = $"""
        SELECT {Columns}
        FROM bench_phone_numbers AS p
        JOIN customers AS c ON c.id = p.customer_id
        {LastInvoiceJoin}
        WHERE p.number = @n
        """;

    public const string NaiveSql = $"""
        SELECT {Columns}
        FROM customers AS c
        {LastInvoiceJoin}
        WHERE JSON_CONTAINS(c.phone_numbers, JSON_QUOTE(@n))
        LIMIT 1
        """;

    public static async Task<int> RunAsync(string url, string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        await using var dataSource = new MySqlDataSource(connectionString);
        var app = builder.Build();

        app.MapGet("/floor/by-phone/{phoneNumber}", (string phoneNumber, HttpContext http) =>
            ToE164(phoneNumber) is { } e164 ? QueryAsync(dataSource, FloorSql, e164, http) : NotFound(http));
        app.MapGet("/naive/by-phone/{phoneNumber}", (string phoneNumber, HttpContext http) =>
            QueryAsync(dataSource, NaiveSql, phoneNumber, http));
        app.MapGet("/health", () => "ok");

        await app.RunAsync();
        return 0;
    }

    private static Task NotFound(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static async Task QueryAsync(MySqlDataSource dataSource, string sql, string number, HttpContext http)
    {
        await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@n", number);
        await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
        if (!await reader.ReadAsync(http.RequestAborted))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartObject("customer");
        json.WriteNumber("id", reader.GetInt64(0));
        json.WriteString("name", reader.GetString(1));
        json.WritePropertyName("phoneNumbers");
        json.WriteRawValue(reader.GetString(2));
        json.WriteEndObject();
        if (reader.IsDBNull(3))
        {
            json.WriteNull("lastInvoice");
        }
        else
        {
            json.WriteStartObject("lastInvoice");
            json.WriteNumber("id", reader.GetInt64(3));
            json.WriteString("number", reader.GetString(4));
            json.WriteString("issuedAt", DateTime.SpecifyKind(reader.GetDateTime(5), DateTimeKind.Utc));
            json.WriteNumber("totalAmount", reader.GetDecimal(6));
            json.WriteString("status", reader.GetString(7));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    /// <summary>
    /// The least work that turns the Iranian caller-ID forms into E.164: digits only, then by length
    /// (8 → Tehran local, 10 → national without 0, 11 with 0, 12 with 98, 14 with 0098). Not a
    /// general normalizer (no other countries, no validation): it only sets the floor.
    /// </summary>
    internal static string? ToE164(string input)
    {
        Span<char> digits = stackalloc char[20];
        var count = 0;
        foreach (var c in input)
        {
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= '\u06F0' and <= '\u06F9' => c - '\u06F0',
                _ => -1,
            };
            if (d >= 0)
            {
                if (count == digits.Length)
                {
                    return null;
                }
                digits[count++] = (char)('0' + d);
            }
        }
        ReadOnlySpan<char> d2 = digits[..count];
        return count switch
        {
            8 when d2[0] != '0' => string.Concat("+9821", d2),
            10 when d2[0] != '0' => string.Concat("+98", d2),
            11 when d2[0] == '0' => string.Concat("+98", d2[1..]),
            12 when d2.StartsWith("98") => string.Concat("+", d2),
            14 when d2.StartsWith("0098") => string.Concat("+", d2[2..]),
            _ => null,
        };
    }
}
