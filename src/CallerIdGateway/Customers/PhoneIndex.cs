using System.Text.Json;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Customers;

/// <summary>
/// Keeps <c>gateway_phone_numbers</c> (normalized number → customer) in step with
/// <c>customers.phone_numbers</c>. The invoicing app may change numbers at any time without telling
/// us, so each pass compares the live column with the copy taken when the customer was last indexed
/// (<c>gateway_indexed_customers</c>) inside the database and re-indexes only what differs.
/// All writes to the index go through here, one at a time.
/// </summary>
public sealed partial class PhoneIndex(
    IServiceScopeFactory scopes,
    PhoneNumberNormalizer normalizer,
    Microsoft.Extensions.Options.IOptions<DatabaseOptions> options,
    TimeProvider time,
    ILogger<PhoneIndex> logger)
{
    /// <summary>The <c>gateway_settings</c> row that records the <see cref="PhoneNumberNormalizer.Rules"/> the index was built with.</summary>
    public const string RulesSetting = "phone_index.number_rules";

    private readonly SemaphoreSlim _writer = new(1, 1);
    private bool _rulesChecked;

    /// <summary>Raised with the normalized numbers whose customers changed, so caches can forget them.</summary>
    public event Action<IReadOnlyCollection<string>>? NumbersChanged;

    /// <summary>When the last full pass finished (null before the first).</summary>
    public DateTimeOffset? LastSynchronizedAt { get; private set; }

    /// <summary>Re-indexes every customer whose numbers changed since last time and drops deleted customers.</summary>
    /// <returns>How many customers were re-indexed or removed.</returns>
    public async Task<int> SynchronizeAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            if (!_rulesChecked)
            {
                await ForgetIfRulesChangedAsync(cancellationToken);
                _rulesChecked = true;
            }
            var batchSize = options.Value.PhoneIndexBatchSize;
            var total = 0;
            long after = 0;
            while (true)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                var changed = await PhoneIndexSql.ChangedCustomers(db, after, batchSize).ToListAsync(cancellationToken);
                if (changed.Count == 0)
                {
                    break;
                }
                await ReplaceAsync(db, changed, cancellationToken);
                total += changed.Count;
                after = changed[^1].Id;
                if (total >= batchSize)
                {
                    LogProgress(logger, total, after);
                }
                if (changed.Count < batchSize)
                {
                    break;
                }
            }

            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                var deleted = await PhoneIndexSql.DeletedCustomers(db).ToListAsync(cancellationToken);
                if (deleted.Count > 0)
                {
                    await ReplaceAsync(db, deleted.Select(id => new CustomerNumbersRow(id, null)).ToList(), cancellationToken);
                    total += deleted.Count;
                }
            }

            LastSynchronizedAt = time.GetUtcNow();
            if (total > 0)
            {
                LogSynchronized(logger, total);
            }
            return total;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// An index built under other number rules (a libphonenumber upgrade, a rule of ours, other
    /// PhoneNumbers settings) holds numbers in forms that callers no longer normalize to. Forgetting
    /// the indexed copies makes every customer "changed", so this pass re-indexes them all; their old
    /// entries answer lookups until each customer's turn comes. Numbers of customers deleted since
    /// would then have no copy left to notice their deletion, so they go now.
    /// </summary>
    private async Task ForgetIfRulesChangedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var setting = await db.Settings.AsTracking().FirstOrDefaultAsync(s => s.Name == RulesSetting, cancellationToken);
        var stored = setting?.Value;
        if (stored == normalizer.Rules)
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var forgotten = await db.IndexedCustomers.ExecuteDeleteAsync(cancellationToken);
        await db.PhoneNumberIndex.Where(p => !db.Customers.Any(c => c.Id == p.CustomerId)).ExecuteDeleteAsync(cancellationToken);
        if (setting is null)
        {
            db.Settings.Add(new GatewaySetting { Name = RulesSetting, Value = normalizer.Rules });
        }
        else
        {
            setting.Value = normalizer.Rules;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (forgotten > 0)
        {
            LogRulesChanged(logger, stored ?? "(not recorded)", normalizer.Rules, forgotten);
        }
    }

    /// <summary>Re-indexes one customer now, e.g. after the gateway itself changed the customer's numbers.</summary>
    public async Task ReindexCustomerAsync(long customerId, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            var row = await PhoneIndexSql.Customer(db, customerId).FirstOrDefaultAsync(cancellationToken);
            await ReplaceAsync(db, [row ?? new CustomerNumbersRow(customerId, null)], cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The normalized, de-duplicated numbers of a <c>phone_numbers</c> JSON array; entries that are not numbers are left out.</summary>
    public IReadOnlyList<string> NormalizeAll(IEnumerable<string?> typed) =>
        typed.Select(normalizer.NormalizeOrNull).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads a <c>phone_numbers</c> value; anything that is not a JSON array of strings counts as no numbers.</summary>
    public static IReadOnlyList<string> ParseStoredNumbers(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            var numbers = new List<string>(doc.RootElement.GetArrayLength());
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    numbers.Add(item.GetString()!);
                }
                else if (item.ValueKind == JsonValueKind.Number)
                {
                    numbers.Add(item.GetRawText()); // typed into a numeric field somewhere upstream
                }
            }
            return numbers;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private async Task ReplaceAsync(GatewayDbContext db, IReadOnlyList<CustomerNumbersRow> customers, CancellationToken cancellationToken)
    {
        var ids = customers.Select(c => c.Id).ToArray();
        var now = time.GetUtcNow().UtcDateTime;
        var changedNumbers = new HashSet<string>(StringComparer.Ordinal);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(1000))
        {
            changedNumbers.UnionWith(await db.PhoneNumberIndex.Where(p => chunk.Contains(p.CustomerId)).Select(p => p.Number).ToListAsync(cancellationToken));
            await db.PhoneNumberIndex.Where(p => chunk.Contains(p.CustomerId)).ExecuteDeleteAsync(cancellationToken);
            await db.IndexedCustomers.Where(c => chunk.Contains(c.CustomerId)).ExecuteDeleteAsync(cancellationToken);
        }

        // Multi-row INSERTs: EF's Add + SaveChanges made the first build of a million customers take
        // three times as long (docs/performance.md).
        var numbers = new List<object>();
        var indexed = new List<object>();
        foreach (var customer in customers)
        {
            if (customer.PhoneNumbers is null)
            {
                continue; // deleted customer: nothing to index
            }
            foreach (var number in NormalizeAll(ParseStoredNumbers(customer.PhoneNumbers)))
            {
                numbers.Add(number);
                numbers.Add(customer.Id);
                changedNumbers.Add(number);
            }
            indexed.Add(customer.Id);
            indexed.Add(customer.PhoneNumbers);
            indexed.Add(now);
        }
        await PhoneIndexSql.InsertAsync(db, "gateway_phone_numbers", "number, customer_id", 2, numbers, cancellationToken);
        await PhoneIndexSql.InsertAsync(db, "gateway_indexed_customers", "customer_id, phone_numbers, indexed_at", 3, indexed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (changedNumbers.Count > 0)
        {
            NumbersChanged?.Invoke(changedNumbers);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Phone number index: built under other number rules ({Old}, now {New}); re-indexing all {Count} customers")]
    private static partial void LogRulesChanged(ILogger logger, string old, string @new, int count);

    [LoggerMessage(LogLevel.Information, "Phone number index: {Count} customers indexed so far (up to id {LastId})")]
    private static partial void LogProgress(ILogger logger, int count, long lastId);

    [LoggerMessage(LogLevel.Information, "Phone number index: {Count} customers changed and re-indexed")]
    private static partial void LogSynchronized(ILogger logger, int count);
}

/// <summary>A customer's id and <c>phone_numbers</c> text (null: the customer is gone).</summary>
public sealed record CustomerNumbersRow(long Id, string? PhoneNumbers);
