namespace CallerIdGateway.Data;

/// <summary>A row of the invoicing app's <c>customers</c> table.</summary>
public sealed class Customer
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>JSON array of numbers exactly as people typed them, e.g. <c>["09123456789", "12345678"]</c>.</summary>
    public List<string> PhoneNumbers { get; set; } = [];

    public string? Email { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Invoice> Invoices { get; set; } = [];
}

/// <summary>A row of the invoicing app's <c>invoices</c> table.</summary>
public sealed class Invoice
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public required string Number { get; set; }

    public DateTime IssuedAt { get; set; }

    public decimal TotalAmount { get; set; }

    /// <summary>Free text as the invoicing app writes it: draft, issued, paid, overdue, cancelled…</summary>
    public required string Status { get; set; }
}
