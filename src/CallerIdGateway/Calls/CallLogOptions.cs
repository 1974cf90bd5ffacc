using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.Calls;

/// <summary>Settings of section <c>Gateway</c> that concern the call log (<c>gateway_calls</c>).</summary>
public sealed class CallLogOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// How many calls whose last change is not yet in the database are kept (in memory and in the
    /// journal) while the database is away; beyond that the oldest are given up, with a warning.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Gateway:CallLogBacklog must be between 100 and 1000000.")]
    public int CallLogBacklog { get; set; } = 10_000;

    /// <summary>
    /// The call log's write-ahead journal (JSON lines): every change is appended before it is
    /// stored, so a crash, a kill or a database that is away at shutdown loses nothing; it is replayed
    /// on the next start. Relative to the working directory, like the SQLite file. Empty = none.
    /// </summary>
    public string CallLogJournal { get; set; } = "callerid-gateway.calls.jsonl";

    /// <summary>
    /// At start, calls an earlier run left ringing or answered are closed once the Asterisk sources
    /// have resynced; this long at most is waited for them (a PBX that is away) before closing them anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Gateway:CallLogReconcileWait must be between 00:00:01 and 01:00:00.")]
    public TimeSpan CallLogReconcileWait { get; set; } = TimeSpan.FromMinutes(1);
}
