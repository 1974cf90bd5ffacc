using System.Text.Json.Serialization;

namespace CallerIdGateway.Contracts;

// The published payload of the hub and of the REST lookup (docs/contract.md). Other teams'
// clients depend on these names: add members freely, rename or remove none.

/// <summary>Who is calling (or who has a number), with their last invoice; <see cref="Call"/> is null in a plain REST lookup.</summary>
public sealed record CustomerCallData
{
    public CallView? Call { get; init; }

    public required LookupStatus Lookup { get; init; }

    /// <summary>The number as given, its normalized (E.164) form and a readable national form.</summary>
    public NumberView? Number { get; init; }

    public CustomerView? Customer { get; init; }

    public InvoiceView? LastInvoice { get; init; }

    /// <summary>Other customers with the same number (a shared switchboard), best first.</summary>
    public IReadOnlyList<CustomerMatchView> OtherMatches { get; init; } = [];

    /// <summary>For an unknown number: where the agent can create a customer with it (Dashboard:NewCustomerUrlTemplate).</summary>
    public string? NewCustomerUrl { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<LookupStatus>))]
public enum LookupStatus
{
    [JsonStringEnumMemberName("found")] Found,
    [JsonStringEnumMemberName("notFound")] NotFound,
    /// <summary>Anonymous, withheld, or not a number at all.</summary>
    [JsonStringEnumMemberName("noNumber")] NoNumber,
    /// <summary>The database did not answer in time; the call is still shown, with its number.</summary>
    [JsonStringEnumMemberName("unavailable")] Unavailable,
    /// <summary>The other party is a colleague (an internal call): no customer is looked up; see <c>call.remoteName</c>.</summary>
    [JsonStringEnumMemberName("colleague")] Colleague,
}

public sealed record NumberView(string Input, string? Normalized, string? Display);

public sealed record CustomerView
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The numbers exactly as stored in the invoicing app.</summary>
    public required IReadOnlyList<string> PhoneNumbers { get; init; }

    /// <summary>The stored entry that matched the caller, as typed.</summary>
    public string? MatchedNumber { get; init; }

    public string? ProfileUrl { get; init; }
}

public sealed record InvoiceView
{
    public required long Id { get; init; }

    public required string Number { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required decimal TotalAmount { get; init; }

    public required string Currency { get; init; }

    public required string Status { get; init; }
}

public sealed record CustomerMatchView(CustomerView Customer, InvoiceView? LastInvoice);

/// <summary>The call part of the payload; see docs/contract.md for the states.</summary>
public sealed record CallView
{
    public required string Id { get; init; }

    public required string Extension { get; init; }

    public required string CallerNumber { get; init; }

    public required string CallerName { get; init; }

    public string? NormalizedNumber { get; init; }

    public required string State { get; init; }

    public required string Source { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>For answeredElsewhere: the extension that took the call, when known.</summary>
    public string? AnsweredBy { get; init; }

    /// <summary><c>inbound</c>, <c>outbound</c> or <c>internal</c>.</summary>
    public string Direction { get; init; } = "inbound";

    /// <summary>The other party's number as the PBX presented it (the caller, the dialled number, the colleague's extension).</summary>
    public string RemoteNumber { get; init; } = "";

    public string RemoteName { get; init; } = "";

    /// <summary>Why the call ended as it did, once it has: <c>completed</c>, <c>busy</c>, <c>noAnswer</c>, <c>cancelled</c>, <c>transferred</c>…</summary>
    public string? Outcome { get; init; }

    /// <summary>Set when a transfer brought the call here, is being prepared (consultation) or took it away.</summary>
    public TransferView? Transfer { get; init; }
}

/// <summary>
/// A transfer as the extension's card sees it: <c>from</c> handed (or, until <c>completed</c>, is about to hand) the
/// customer <c>customerNumber</c> on to <c>to</c>.
/// </summary>
public sealed record TransferView(string Kind, string From, string? To, bool Completed, string? CustomerNumber, string? CustomerName);
