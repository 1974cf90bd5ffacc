namespace CallerIdGateway.IntegrationTests.Infrastructure;

// The contract as a client sees it: read back from JSON, not shared with the server's types,
// so a renamed member fails a test instead of passing silently.

public sealed record CustomerCallDataDto(
    CallDto? Call,
    string Lookup,
    NumberDto? Number,
    CustomerDto? Customer,
    InvoiceDto? LastInvoice,
    List<CustomerMatchDto> OtherMatches,
    string? NewCustomerUrl);

public sealed record NumberDto(string Input, string? Normalized, string? Display);

public sealed record CustomerDto(long Id, string Name, List<string> PhoneNumbers, string? MatchedNumber, string? ProfileUrl);

public sealed record InvoiceDto(long Id, string Number, DateTimeOffset? IssuedAt, decimal TotalAmount, string Currency, string Status);

public sealed record CustomerMatchDto(CustomerDto Customer, InvoiceDto? LastInvoice);

public sealed record CallDto(
    string Id,
    string Extension,
    string CallerNumber,
    string CallerName,
    string? NormalizedNumber,
    string State,
    string Source,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    string? AnsweredBy,
    string Direction,
    string RemoteNumber,
    string RemoteName,
    string? Outcome,
    TransferDto? Transfer);

public sealed record TransferDto(string Kind, string From, string? To, bool Completed, string? CustomerNumber, string? CustomerName);

public sealed record PhoneNumbersDto(long Id, List<string> PhoneNumbers, List<string> NormalizedNumbers);
