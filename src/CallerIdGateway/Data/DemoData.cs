namespace CallerIdGateway.Data;

/// <summary>A handful of customers and invoices so that a fresh gateway has someone to find.</summary>
internal static class DemoData
{
    public static async Task<int> SeedAsync(InvoicingDbContext db, CancellationToken cancellationToken)
    {
        var today = DateTime.UtcNow.Date;
        Customer[] customers =
        [
            // The example of the original design: one customer, a mobile, a Tehran local number typed two ways.
            Make("خلیلی", ["09123456789", "12345678", "02112345678"], "khalili@example.com",
                ("1403-0457", today.AddDays(-4), 125_000_000m, "paid"),
                ("1403-0311", today.AddDays(-63), 48_500_000m, "paid")),
            Make("شرکت بازرگانی نوین", ["+982188776655", "0912 111 2233"], "info@novin.example",
                ("1403-0460", today.AddDays(-1), 310_000_000m, "issued")),
            Make("رضا محمدی", ["0935-123-4567"], null,
                ("1403-0201", today.AddDays(-120), 12_750_000m, "overdue")),
            Make("Sara Ahmadi", ["00989351234568", "۰۲۶۳۲۲۲۴۴۵۵"], "sara@example.com"),
            // A switchboard number shared by two customers of the same company.
            Make("فروشگاه آفتاب – شعبه مرکزی", ["02166554433"], null,
                ("1403-0388", today.AddDays(-10), 92_000_000m, "paid")),
            Make("فروشگاه آفتاب – انبار", ["021-6655-4433", "09121234567"], null,
                ("1403-0301", today.AddDays(-40), 15_000_000m, "cancelled")),
        ];
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(cancellationToken);
        return customers.Length;

        Customer Make(string name, List<string> numbers, string? email, params (string Number, DateTime IssuedAt, decimal Total, string Status)[] invoices) => new()
        {
            Name = name,
            PhoneNumbers = numbers,
            Email = email,
            CreatedAt = today.AddYears(-1),
            Invoices = invoices.Select(i => new Invoice { Number = i.Number, IssuedAt = i.IssuedAt.AddHours(10), TotalAmount = i.Total, Status = i.Status }).ToList(),
        };
    }
}
