using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// <c>doctor --number …</c>: how a number was normalized, which index entry matched, which customer
/// the gateway would show (the same resolver a ringing call uses), and why nobody when nothing did.
/// </summary>
internal sealed class NumberDoctor(IServiceProvider services, PhoneNumberNormalizer normalizer, CallerResolver resolver, DatabaseOptions options)
{
    public async Task CheckAsync(DoctorReport report, string input, CancellationToken cancellationToken)
    {
        var subject = $"number {input}";
        var parsed = normalizer.Parse(input);
        if (parsed.Number is not { } number)
        {
            report.Fail(subject, $"is not a phone number: {parsed.Message}", "Look up what the PBX presents as the caller ID (the call log or the card's number).");
            return;
        }
        report.Pass(subject, $"normalized to {number.Normalized} (shown as {number.Display}{(number.IsValid ? "" : "; not a valid number for its region, kept as digits")}).");

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var entries = await db.PhoneNumberIndex.Where(p => p.Number == number.Normalized).Select(p => p.CustomerId).ToListAsync(cancellationToken);
        var answer = await resolver.ResolveAsync(input, cancellationToken);
        switch (answer.Lookup)
        {
            case LookupStatus.Found:
                var customer = answer.Customer!;
                var others = answer.OtherMatches.Count == 0 ? "" : $"; also {string.Join(", ", answer.OtherMatches.Select(m => $"{m.Customer.Id} {m.Customer.Name}"))}";
                var invoice = answer.LastInvoice is { } i ? $", last invoice {i.Number} of {i.IssuedAt:yyyy-MM-dd}" : ", no invoice";
                report.Pass(subject, $"index entry {number.Normalized} → customer {customer.Id} {customer.Name} (typed as '{customer.MatchedNumber}'){invoice}{others}.");
                break;
            case LookupStatus.NotFound when entries.Count > 0:
                report.Fail(subject, $"the index has {number.Normalized} for customer(s) {string.Join(", ", entries)}, but none of them has it in phone_numbers any more.",
                    "Nothing to fix if the number was removed on purpose; the next index sync drops the entry.");
                break;
            case LookupStatus.NotFound:
                var behind = await PhoneIndexSql.ChangedCustomers(db, 0, int.MaxValue).CountAsync(cancellationToken);
                report.Fail(subject, behind == 0
                        ? $"no customer has {number.Normalized} in customers.phone_numbers, in any written form (the index is in step)."
                        : $"no index entry for {number.Normalized}; {behind} customers changed since they were indexed, so it may be among them.",
                    behind == 0
                        ? "Add the number to the customer (in the invoicing app, or PUT /api/customers/{id}/phone-numbers in Own mode)."
                        : $"Wait for the index to catch up (Database:PhoneIndexSyncInterval, {options.PhoneIndexSyncInterval}) with the gateway running.");
                break;
            default:
                report.Fail(subject, $"the lookup answered {ContractJson.Name(answer.Lookup)}.", "Check the database line above.");
                break;
        }
    }
}
