using System.Diagnostics;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// The initial number index build of a loaded database, timed in-process (no HTTP, nothing else
/// running): the index tables are emptied, then the gateway's own <see cref="PhoneIndex.SynchronizeAsync"/>
/// rebuilds them. The gateway must have migrated the database once (its tables must exist).
/// <code>lookup index-build --connection CS</code>
/// </summary>
internal static class IndexBuildTiming
{
    public static async Task<int> RunAsync(string connectionString)
    {
        using var services = LookupCommands.AttachedGatewayBuilder(connectionString).Build();

        await using (var scope = services.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM gateway_phone_numbers");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM gateway_indexed_customers");
        }

        var watch = Stopwatch.StartNew();
        var count = await services.Services.GetRequiredService<PhoneIndex>().SynchronizeAsync(CancellationToken.None);
        Console.WriteLine($"INDEXBUILD\tgateway\t{count}\t{watch.Elapsed.TotalSeconds:F1}");
        return 0;
    }
}
