using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Customers;

/// <summary>
/// Number → customer, for everything that asks (REST lookup, calls, dialplan hooks), so that one
/// number always resolves the same way. One indexed query per lookup, a short cache in front of it,
/// and a deadline: a ringing call never waits on a slow database.
/// </summary>
public sealed partial class CallerResolver
{
    private readonly IServiceScopeFactory _scopes;
    private readonly PhoneNumberNormalizer _normalizer;
    private readonly IMemoryCache _cache;
    private readonly DatabaseOptions _database;
    private readonly CustomerLinks _links;
    private readonly ILogger<CallerResolver> _logger;

    public CallerResolver(
        IServiceScopeFactory scopes,
        PhoneNumberNormalizer normalizer,
        IMemoryCache cache,
        PhoneIndex index,
        IOptions<DatabaseOptions> database,
        CustomerLinks links,
        ILogger<CallerResolver> logger)
    {
        _scopes = scopes;
        _normalizer = normalizer;
        _cache = cache;
        _database = database.Value;
        _links = links;
        _logger = logger;
        index.NumbersChanged += Forget;
    }

    /// <summary>Resolves a number in any form; never throws for bad input or a failing database.</summary>
    public async Task<CustomerCallData> ResolveAsync(string? input, CancellationToken cancellationToken)
    {
        var parsed = _normalizer.Parse(input);
        if (parsed.Number is not { } number)
        {
            return new CustomerCallData { Lookup = LookupStatus.NoNumber, Number = new NumberView(input ?? "", null, null) };
        }

        var view = new NumberView(input!, number.Normalized, number.Display);
        if (!_cache.TryGetValue(number.Normalized, out CachedMatches? matches))
        {
            try
            {
                matches = await QueryAsync(number.Normalized, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogUnavailable(_logger, number.Normalized, e.GetType().Name, e.Message);
                return new CustomerCallData { Lookup = LookupStatus.Unavailable, Number = view };
            }
            if (_database.LookupCacheDuration > TimeSpan.Zero)
            {
                _cache.Set(number.Normalized, matches, _database.LookupCacheDuration);
            }
        }

        if (matches!.Best is null)
        {
            return new CustomerCallData { Lookup = LookupStatus.NotFound, Number = view, NewCustomerUrl = _links.NewCustomer(number.Normalized) };
        }
        return new CustomerCallData
        {
            Lookup = LookupStatus.Found,
            Number = view,
            Customer = matches.Best.Customer,
            LastInvoice = matches.Best.LastInvoice,
            OtherMatches = matches.Others,
        };
    }

    /// <summary>Parses a number and runs the lookup query once, uncached (see <c>CallPathWarmUp</c>).</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        _ = _normalizer.Parse("09123456789");
        _ = await QueryAsync("+980000000000", cancellationToken);
    }

    private void Forget(IReadOnlyCollection<string> numbers)
    {
        foreach (var number in numbers)
        {
            _cache.Remove(number);
        }
    }

    private async Task<CachedMatches> QueryAsync(string normalized, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_database.LookupTimeout);

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var rows = await LookupSql.ByNumberAsync(db, normalized, deadline.Token);

        var matches = new List<CustomerMatchView>(rows.Count);
        foreach (var row in rows)
        {
            // The index may lag behind an edit made a moment ago in the invoicing app; the row we just
            // read is the truth, so a number that was removed from the customer no longer matches.
            var stored = PhoneIndex.ParseStoredNumbers(row.PhoneNumbers);
            var matched = stored.FirstOrDefault(s => _normalizer.NormalizeOrNull(s) == normalized);
            if (matched is null)
            {
                continue;
            }
            var customer = new CustomerView
            {
                Id = row.CustomerId,
                Name = row.Name,
                PhoneNumbers = stored,
                MatchedNumber = matched,
                ProfileUrl = _links.Profile(row.CustomerId),
            };
            var invoice = row.InvoiceId is null ? null : new InvoiceView
            {
                Id = row.InvoiceId.Value,
                Number = row.InvoiceNumber ?? "",
                IssuedAt = new DateTimeOffset(DateTime.SpecifyKind(row.IssuedAt!.Value, DateTimeKind.Utc)),
                TotalAmount = WithoutTrailingZeros(row.TotalAmount ?? 0),
                Currency = _database.InvoiceCurrency,
                Status = row.Status ?? "",
            };
            matches.Add(new CustomerMatchView(customer, invoice));
        }

        // A shared number (a company switchboard): the customer with the most recent invoice is the likeliest caller.
        var ordered = matches
            .OrderByDescending(m => m.LastInvoice?.IssuedAt ?? DateTimeOffset.MinValue)
            .ThenBy(m => m.Customer.Id)
            .ToList();
        return ordered.Count == 0
            ? CachedMatches.None
            : new CachedMatches(ordered[0], ordered.Skip(1).Take(MaxOtherMatches).ToList());
    }

    private const int MaxOtherMatches = 5;

    // Providers hand decimals back with the column's scale (125000000.00); the contract shows amounts as they are.
    private static decimal WithoutTrailingZeros(decimal value) => value / 1.000000000000000000000000000000000m;

    private sealed record CachedMatches(CustomerMatchView? Best, IReadOnlyList<CustomerMatchView> Others)
    {
        public static readonly CachedMatches None = new(null, []);
    }

    [LoggerMessage(LogLevel.Warning, "Lookup of {Number} failed ({Error}: {Message}); answering 'unavailable'")]
    private static partial void LogUnavailable(ILogger logger, string number, string error, string message);
}
