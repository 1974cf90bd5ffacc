using System.Data.Common;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CallerIdGateway.Calls;

/// <summary>
/// Stores a batch of call-log rows as one upsert on the unique (call_id, extension) index: one
/// round trip per batch, and no change tracker on the call path: through EF a batch took more round
/// trips and, early in a call storm, JIT time on the cores the pushes needed (the figures are in
/// docs/performance.md, "Ring to screen").
/// </summary>
internal static class CallLogSql
{
    private const string Columns =
        "call_id, extension, caller_number, normalized_number, customer_id, lookup, state, source, started_at, answered_at, ended_at, payload";

    private const int Width = 12;

    // Every column but the key and the caller number, which the first change of a call sets; state last, see MySqlUpdate.
    private static readonly string[] Updated =
        ["normalized_number", "customer_id", "lookup", "source", "started_at", "answered_at", "ended_at", "payload", "state"];

    /// <summary>
    /// Whether the stored row may take the new one's values: a call never goes back (answered to ringing, or
    /// ended to ringing or answered), except that a missed call may ring again, as the tracker does on a queue
    /// retry. Several instances write the same rows (docs/scaling.md): a late write of an older state loses.
    /// </summary>
    private static string MayReplace(string stored, string incoming) =>
        $"({Rank(incoming)} >= {Rank(stored)} OR {stored} = '{ContractJson.Name(CallState.Missed)}')";

    private static string Rank(string state) =>
        $"CASE {state} WHEN '{ContractJson.Name(CallState.Ringing)}' THEN 1 WHEN '{ContractJson.Name(CallState.Answered)}' THEN 2 ELSE 3 END";

    // VALUES(column) works on MariaDB and on every MySQL (8.0.20+ deprecates it for a row alias MariaDB lacks).
    // Assignments run left to right and later ones see the new state, so state is assigned last.
    private static readonly string MySqlUpdate = " ON DUPLICATE KEY UPDATE " +
        string.Join(", ", Updated.Select(c => $"{c} = IF({MayReplace("state", "VALUES(state)")}, VALUES({c}), {c})"));

    private static readonly string SqliteUpdate = " ON CONFLICT (call_id, extension) DO UPDATE SET " + string.Join(", ", Updated.Select(c => $"{c} = excluded.{c}")) +
        " WHERE " + MayReplace("gateway_calls.state", "excluded.state");

    /// <summary>Inserts or updates one row per (call id, extension); the caller keeps at most one row per key in a batch.</summary>
    public static async Task UpsertAsync(GatewayDbContext db, IReadOnlyCollection<CallRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = CommandText(rows.Count, db.Database.IsMySql());
            var p = 0;
            foreach (var row in rows)
            {
                Add(command, p++, row.CallId);
                Add(command, p++, row.Extension);
                Add(command, p++, row.CallerNumber);
                Add(command, p++, row.NormalizedNumber);
                Add(command, p++, row.CustomerId);
                Add(command, p++, row.Lookup);
                Add(command, p++, row.State);
                Add(command, p++, row.Source);
                Add(command, p++, row.StartedAt);
                Add(command, p++, row.AnsweredAt);
                Add(command, p++, row.EndedAt);
                Add(command, p++, row.Payload);
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary><c>INSERT INTO gateway_calls (…) VALUES (@p0, …), (…)</c> for <paramref name="rowCount"/> rows, then the provider's upsert clause.</summary>
    public static string CommandText(int rowCount, bool isMySql) =>
        SqlText.MultiRowInsert("gateway_calls", Columns, rowCount * Width, Width, "@p").Append(isMySql ? MySqlUpdate : SqliteUpdate).ToString();

    private static void Add(DbCommand command, int index, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + index;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
