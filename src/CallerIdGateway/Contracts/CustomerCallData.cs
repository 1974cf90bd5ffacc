using System.Text.Json.Serialization;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Contracts;

// The published payload of the hub and of the REST lookup (docs/contract.md). Other teams'
// clients depend on these names: add members freely, rename or remove none.

/// <summary>Who is calling (or who has a number), with their last invoice; <see cref="Call"/> is null in a plain REST lookup.</summary>
public sealed record CustomerCallData
{
    /// <summary>The call as the tracker has it (<see cref="CallInfo"/>: its members are the contract's <c>call</c>).</summary>
    public CallInfo? Call { get; init; }

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

    /// <summary>Null when the invoicing app keeps no date for it (a nullable <c>issued_at</c> in Attach mode).</summary>
    public required DateTimeOffset? IssuedAt { get; init; }

    public required decimal TotalAmount { get; init; }

    public required string Currency { get; init; }

    public required string Status { get; init; }
}

public sealed record CustomerMatchView(CustomerView Customer, InvoiceView? LastInvoice);
