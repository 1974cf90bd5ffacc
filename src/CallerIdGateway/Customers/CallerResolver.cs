using System.Diagnostics;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace CallerIdGateway.Customers;

/// <summary>
/// Number → customer, for everything that asks (REST lookup, calls, dialplan hooks), so that one
/// number always resolves the same way. One indexed query per lookup, a short cache in front of it,
/// and a deadline that holds whatever the driver does: a ringing call never waits on a slow or
/// frozen database. A circuit breaker stops asking a database that keeps failing.
/// </summary>
public sealed partial class CallerResolver
{
    /// <summary>
    /// Lookups that outlived their budget and still run at the database. Beyond this many, lookups
    /// answer "unavailable" without asking, so a stalled server cannot collect an unbounded backlog
    /// of queries (and pooled connections) from us.
    /// </summary>
    internal const int MaxAbandonedLookups = 20;

    /// <summary>The breaker's window: how far back it counts lookups and failures.</summary>
    internal static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(10);

    private readonly IServiceScopeFactory _scopes;
    private readonly PhoneNumberNormalizer _normalizer;
    private readonly IMemoryCache _cache;
    private readonly DatabaseOptions _database;
    private readonly CustomerLinks _links;
    private readonly TimeProvider _time;
    private readonly ILogger<CallerResolver> _logger;
    private readonly Hosting.GatewayMetrics _metrics;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline<CachedMatches> _breaker;
    private int _abandoned;
    private int _outage;

    public CallerResolver(
        IServiceScopeFactory scopes,
        PhoneNumberNormalizer normalizer,
        IMemoryCache cache,
        PhoneIndex index,
        IOptions<DatabaseOptions> database,
        CustomerLinks links,
        TimeProvider time,
        ILogger<CallerResolver> logger,
        Hosting.GatewayMetrics metrics)
    {
        _metrics = metrics;
        _scopes = scopes;
        _normalizer = normalizer;
        _cache = cache;
        _database = database.Value;
        _links = links;
        _time = time;
        _logger = logger;
        _breaker = BuildBreaker();
        index.NumbersChanged += Forget;
    }

    /// <summary>True while the breaker is open: lookups answer "unavailable" without asking the database.</summary>
    public bool IsDatabaseShunned => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// Resolves a number in any form; never throws for bad input or a failing database, and never
    /// takes (much) longer than <see cref="DatabaseOptions.LookupTimeout"/>.
    /// </summary>
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
            var asked = _time.GetTimestamp();
            matches = await QueryWithinBudgetAsync(number.Normalized, cancellationToken);
            _metrics.LookupAnswered(_time.GetElapsedTime(asked), matches is null ? LookupStatus.Unavailable : matches.Best is null ? LookupStatus.NotFound : LookupStatus.Found);
            if (matches is null)
            {
                return new CustomerCallData { Lookup = LookupStatus.Unavailable, Number = view };
            }
            Remember(number.Normalized, matches);
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

    /// <summary>The matches, or null when the database could not (or is not asked to) answer within the budget.</summary>
    private async Task<CachedMatches?> QueryWithinBudgetAsync(string normalized, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _abandoned) >= MaxAbandonedLookups)
        {
            return null; // the database has not even finished the lookups we gave up on
        }
        try
        {
            return await _breaker.ExecuteAsync(
                static (state, token) => state.Self.QueryOrAbandonAsync(state.Normalized, token),
                (Self: this, Normalized: normalized),
                cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return null; // said once, when the breaker opened
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(_logger, normalized, e.GetType().Name, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Runs the query on the thread pool and waits no longer than the budget. Cancelling does not
    /// stop MySqlConnector while the server is frozen (it waits on its socket until the command
    /// times out), so the query is left to end in the background; a late answer still fills the
    /// cache, where the next lookup of the number (a ringing call's retry) finds it.
    /// </summary>
    private async ValueTask<CachedMatches> QueryOrAbandonAsync(string normalized, CancellationToken cancellationToken)
    {
        var query = Task.Run(() => QueryAsync(normalized, cancellationToken), CancellationToken.None);
        try
        {
            return await query.WaitAsync(_database.LookupTimeout, _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !query.IsCompleted)
        {
            Abandon(query, normalized);
            throw;
        }
    }

    private void Abandon(Task<CachedMatches> query, string normalized)
    {
        Interlocked.Increment(ref _abandoned);
        var since = Stopwatch.GetTimestamp();
        _ = query.ContinueWith(
            t =>
            {
                Interlocked.Decrement(ref _abandoned);
                var seconds = Stopwatch.GetElapsedTime(since).TotalSeconds + _database.LookupTimeout.TotalSeconds;
                if (t.IsCompletedSuccessfully)
                {
                    Remember(normalized, t.Result);
                    LogLateAnswer(_logger, normalized, seconds);
                }
                else
                {
                    LogAbandonedEnded(_logger, normalized, seconds, t.Exception?.GetBaseException().GetType().Name ?? "cancelled");
                }
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Remember(string normalized, CachedMatches matches)
    {
        if (_database.LookupCacheDuration > TimeSpan.Zero)
        {
            _cache.Set(normalized, matches, _database.LookupCacheDuration);
        }
    }

    private ResiliencePipeline<CachedMatches> BuildBreaker() => new ResiliencePipelineBuilder<CachedMatches> { TimeProvider = _time }
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<CachedMatches>
        {
            FailureRatio = 0.5,
            MinimumThroughput = _database.LookupBreakerMinimumThroughput,
            SamplingDuration = BreakerSamplingDuration,
            BreakDuration = _database.LookupBreakerBreakDuration,
            StateProvider = _circuit,
            // Every failure and timeout counts, except a caller that went away (a REST client hanging up).
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                && !(e is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
            // Said once per outage: a failed probe re-opens the breaker every BreakDuration.
            OnOpened = args =>
            {
                if (Interlocked.Exchange(ref _outage, 1) == 0)
                {
                    LogBreakerOpened(_logger, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.GetType().Name ?? "");
                }
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                if (Interlocked.Exchange(ref _outage, 0) == 1)
                {
                    LogBreakerClosed(_logger);
                }
                return ValueTask.CompletedTask;
            },
        })
        .Build();

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
        // Defence in depth for the lookups we stop waiting for: cancellation does not end a query on a
        // frozen MySQL server, its command timeout does (then plus its 2 s CancellationTimeout), so
        // an abandoned lookup ends a few seconds after its budget instead of after the default 30 s.
        var rows = await LookupSql.ByNumberAsync(db, normalized, deadline.Token, CommandTimeoutSeconds);

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
                IssuedAt = row.IssuedAt is { } issued ? new DateTimeOffset(DateTime.SpecifyKind(issued, DateTimeKind.Utc)) : null,
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

    private int CommandTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(_database.LookupTimeout.TotalSeconds));

    // Providers hand decimals back with the column's scale (125000000.00); the contract shows amounts as they are.
    private static decimal WithoutTrailingZeros(decimal value) => value / 1.000000000000000000000000000000000m;

    private sealed record CachedMatches(CustomerMatchView? Best, IReadOnlyList<CustomerMatchView> Others)
    {
        public static readonly CachedMatches None = new(null, []);
    }

    [LoggerMessage(LogLevel.Warning, "Lookup of {Number} failed ({Error}: {Message}); answering 'unavailable'")]
    private static partial void LogUnavailable(ILogger logger, string number, string error, string message);

    [LoggerMessage(LogLevel.Information, "Lookup of {Number} answered after {Seconds:0.0} s, past its budget; the answer is cached")]
    private static partial void LogLateAnswer(ILogger logger, string number, double seconds);

    [LoggerMessage(LogLevel.Information, "Lookup of {Number} given up on ended after {Seconds:0.0} s ({Error})")]
    private static partial void LogAbandonedEnded(ILogger logger, string number, double seconds, string error);

    [LoggerMessage(LogLevel.Error, "The customer database keeps failing or not answering ({Error}): lookups answer 'unavailable' without asking it and probe it every {Seconds:0.#} s")]
    private static partial void LogBreakerOpened(ILogger logger, double seconds, string error);

    [LoggerMessage(LogLevel.Information, "The customer database answers again: lookups ask it again")]
    private static partial void LogBreakerClosed(ILogger logger);
}
