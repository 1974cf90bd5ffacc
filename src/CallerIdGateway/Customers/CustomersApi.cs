using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using CallerIdGateway.Hosting;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Customers;

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization();

        group.MapGet("/by-phone/{phoneNumber}", LookupByPhoneAsync)
            .WithName("LookupCustomerByPhone")
            .RequireRateLimiting(RateLimits.LookupPolicy)
            .WithSummary("Finds the customer who has a phone number, in any format, with their last invoice.");

        group.MapPut("/{id:long}/phone-numbers", ReplacePhoneNumbersAsync)
            .WithName("ReplaceCustomerPhoneNumbers")
            .WithSummary("Replaces a customer's phone numbers (Own mode only); the lookup sees them at once.");

        return app;
    }

    internal static async Task<Results<Ok<CustomerCallData>, ValidationProblem, ProblemHttpResult>> LookupByPhoneAsync(
        string phoneNumber, IValidator<PhoneNumberQuery> validator, CallerResolver resolver, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(new PhoneNumberQuery(phoneNumber), cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "Not a phone number");
        }

        var result = await resolver.ResolveAsync(phoneNumber, cancellationToken);
        return result.Lookup switch
        {
            LookupStatus.Found => TypedResults.Ok(result),
            LookupStatus.Unavailable => TypedResults.Problem(
                title: "Customer database unavailable",
                detail: "The customer database did not answer in time. Try again.",
                statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => TypedResults.Problem(
                title: "No customer has this number",
                detail: $"No customer has the number {result.Number?.Display} ({result.Number?.Normalized}).",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["normalizedNumber"] = result.Number?.Normalized, ["newCustomerUrl"] = result.NewCustomerUrl }),
        };
    }

    internal static async Task<Results<Ok<CustomerPhoneNumbers>, ValidationProblem, ProblemHttpResult>> ReplacePhoneNumbersAsync(
        long id,
        ReplacePhoneNumbersRequest request,
        IValidator<ReplacePhoneNumbersRequest> validator,
        GatewayDbContext db,
        PhoneIndex index,
        PhoneNumbers.PhoneNumberNormalizer normalizer,
        IOptions<DatabaseOptions> options,
        CancellationToken cancellationToken)
    {
        if (options.Value.Mode == DatabaseMode.Attach)
        {
            return TypedResults.Problem(
                title: "Customers belong to the invoicing app",
                detail: "Database:Mode is Attach: the gateway never changes customers. Change the numbers in the invoicing app; the gateway picks them up within Database:PhoneIndexSyncInterval.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "Invalid phone numbers");
        }

        var customer = await db.Customers.AsTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            return TypedResults.Problem(title: "No such customer", detail: $"There is no customer with id {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        // Stored as typed (trimmed), one entry per distinct number: "0912 345 6789" and "09123456789" are the same phone.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        customer.PhoneNumbers = request.PhoneNumbers!
            .Select(n => n.Trim())
            .Where(n => seen.Add(normalizer.NormalizeOrNull(n)!))
            .ToList();
        await db.SaveChangesAsync(cancellationToken);
        await index.ReindexCustomerAsync(customer.Id, cancellationToken);

        return TypedResults.Ok(new CustomerPhoneNumbers(customer.Id, customer.PhoneNumbers, index.NormalizeAll(customer.PhoneNumbers)));
    }
}

/// <summary>The path value of a lookup, for validation.</summary>
public sealed record PhoneNumberQuery(string PhoneNumber);

public sealed record ReplacePhoneNumbersRequest(IReadOnlyList<string>? PhoneNumbers);

/// <summary>A customer's numbers as stored and as the index holds them.</summary>
public sealed record CustomerPhoneNumbers(long Id, IReadOnlyList<string> PhoneNumbers, IReadOnlyList<string> NormalizedNumbers);
