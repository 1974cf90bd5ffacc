namespace CallerIdGateway.Calls;

/// <summary>
/// A row of the call log (<c>gateway_calls</c>): one per call and extension, updated as its state
/// changes, with the payload as it was last published so a reconnecting client gets exactly that.
/// </summary>
public sealed class CallRecord
{
    public long Id { get; set; }

    public required string CallId { get; set; }

    public required string Extension { get; set; }

    public required string CallerNumber { get; set; }

    public string? NormalizedNumber { get; set; }

    public long? CustomerId { get; set; }

    public required string Lookup { get; set; }

    public required string State { get; set; }

    public required string Source { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? AnsweredAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>The <c>CustomerCallData</c> JSON last pushed for this call.</summary>
    public required string Payload { get; set; }
}
