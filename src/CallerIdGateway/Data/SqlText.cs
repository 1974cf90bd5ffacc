using System.Text;

namespace CallerIdGateway.Data;

/// <summary>SQL text the gateway writes itself, the same for SQLite and MySQL/MariaDB.</summary>
internal static class SqlText
{
    /// <summary>
    /// <c>INSERT INTO table (columns) VALUES (…), (…)</c> for <paramref name="valueCount"/> values,
    /// <paramref name="width"/> to a row; value <c>i</c> is written as <paramref name="prefix"/> <c>i</c>
    /// <paramref name="suffix"/>: <c>{i}</c> for EF's raw SQL, <c>@pi</c> for a command's parameters.
    /// </summary>
    public static StringBuilder MultiRowInsert(string table, string columns, int valueCount, int width, string prefix, string suffix = "")
    {
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES ");
        for (var p = 0; p < valueCount; p++)
        {
            sql.Append(p % width == 0 ? (p == 0 ? "(" : "), (") : ", ").Append(prefix).Append(p).Append(suffix);
        }
        return sql.Append(')');
    }
}
