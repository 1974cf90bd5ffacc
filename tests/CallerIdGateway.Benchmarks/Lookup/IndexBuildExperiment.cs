using System.Diagnostics;
using System.Text;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// The initial number index build of a loaded database, timed in-process (no HTTP, nothing else
/// running), two ways on the same data: <c>ef</c> is the gateway's own <see cref="PhoneIndex.SynchronizeAsync"/>
/// (EF change tracking + SaveChanges), <c>raw</c> is the same passes with the inserts written as
/// multi-row INSERT statements, the change proposed in docs/performance.md. Both empty the index
/// tables first. The gateway must have migrated the database once (its tables must exist).
/// <code>lookup index-build --connection CS --mode ef|raw [--limit N]</code>
/// </summary>
internal static class IndexBuildExperiment
{
    public static async Task<int> RunAsync(string connectionString, string mode, int limit)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:Mode"] = "Attach",
            ["ConnectionStrings:Gateway"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddPhoneNumbers();
        builder.AddGatewayData();
        using var services = builder.Build();

        await using (var scope = services.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM gateway_phone_numbers");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM gateway_indexed_customers");
        }

        var watch = Stopwatch.StartNew();
        var count = mode switch
        {
            "ef" => await services.Services.GetRequiredService<PhoneIndex>().SynchronizeAsync(CancellationToken.None),
            "raw" => await BuildRawAsync(services.Services, limit),
            _ => throw new ArgumentException("--mode is ef or raw"),
        };
        Console.WriteLine($"INDEXBUILD\t{mode}\t{count}\t{watch.Elapsed.TotalSeconds:F1}");
        return 0;
    }

    /// <summary>What <see cref="PhoneIndex.SynchronizeAsync"/> does for an empty index, with multi-row inserts.</summary>
    private static async Task<int> BuildRawAsync(IServiceProvider services, int limit)
    {
        var index = services.GetRequiredService<PhoneIndex>();
        const int batchSize = 5_000;
        var total = 0;
        long after = 0;
        while (total < limit)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            var changed = await PhoneIndexSql.ChangedCustomers(db, after, batchSize).ToListAsync();
            if (changed.Count == 0)
            {
                break;
            }

            var now = DateTime.UtcNow;
            var numbers = new List<object>();
            var indexed = new List<object>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var chunk in changed.Select(c => c.Id).Chunk(1000))
            {
                await db.PhoneNumberIndex.Where(p => chunk.Contains(p.CustomerId)).ExecuteDeleteAsync();
                await db.IndexedCustomers.Where(c => chunk.Contains(c.CustomerId)).ExecuteDeleteAsync();
            }
            foreach (var customer in changed)
            {
                foreach (var number in index.NormalizeAll(PhoneIndex.ParseStoredNumbers(customer.PhoneNumbers)))
                {
                    numbers.Add(number);
                    numbers.Add(customer.Id);
                }
                indexed.Add(customer.Id);
                indexed.Add(customer.PhoneNumbers ?? "");
                indexed.Add(now);
            }
            await InsertAsync(db, "gateway_phone_numbers", "number, customer_id", 2, numbers);
            await InsertAsync(db, "gateway_indexed_customers", "customer_id, phone_numbers, indexed_at", 3, indexed);
            await transaction.CommitAsync();

            total += changed.Count;
            after = changed[^1].Id;
            if (changed.Count < batchSize)
            {
                break;
            }
        }
        return total;
    }

    /// <summary>INSERT … VALUES (…), (…) in statements of at most 500 rows, values as parameters.</summary>
    internal static async Task InsertAsync(GatewayDbContext db, string table, string columns, int width, List<object> values)
    {
        const int rowsPerStatement = 500;
        for (var start = 0; start < values.Count; start += rowsPerStatement * width)
        {
            var count = Math.Min(rowsPerStatement * width, values.Count - start);
            var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").Append(columns).Append(") VALUES ");
            for (var p = 0; p < count; p++)
            {
                sql.Append(p % width == 0 ? (p == 0 ? "(" : "), (") : ", ").Append('{').Append(p).Append('}');
            }
            sql.Append(')');
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), values.GetRange(start, count));
        }
    }
}
