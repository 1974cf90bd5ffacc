using System.Diagnostics;
using System.Globalization;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// Where a lookup's time goes, without HTTP: the same caller-ID samples run one at a time through
/// (1) the normalizer alone, (2) the raw driver with the gateway's lookup SQL on a pre-normalized
/// number, (3) <see cref="LookupSql"/> on a scope and a pooled context's connection per lookup, as
/// <see cref="CallerResolver"/> does, (4) the same on one long-lived context, (5) <see cref="CallerResolver.ResolveAsync"/>
/// with the cache effectively off. Prints wall time, this process's CPU time (medians of interleaved
/// rounds) and bytes allocated per lookup.
/// Needs a database whose number index the gateway has built.
/// <code>lookup breakdown --connection CS --samples FILE [--count 5000] [--steps 1,2,3,4,5]</code>
/// </summary>
internal static class LookupPathBreakdown
{
    public static async Task<int> RunAsync(string connectionString, string samplesFile, int count, string? only)
    {
        var builder = LookupCommands.AttachedGatewayBuilder(connectionString);
        builder.Configuration["Database:LookupCacheDuration"] = "00:00:00.001";
        using var host = builder.Build();
        var services = host.Services;

        var samples = File.ReadLines(samplesFile).Take(count).Select(l => l.Split('\t')[1]).ToArray();
        var normalizer = services.GetRequiredService<PhoneNumberNormalizer>();
        var resolver = services.GetRequiredService<CallerResolver>();
        var normalized = samples.Select(s => normalizer.NormalizeOrNull(s) ?? s).ToArray();
        await using var dataSource = new MySqlDataSource(connectionString);
        var rawSql = LookupSql.CommandText(isMySql: true);

        await using var longLivedScope = services.CreateAsyncScope();
        var longLived = longLivedScope.ServiceProvider.GetRequiredService<GatewayDbContext>();

        var steps = new (string Name, Func<int, Task> Run)[]
        {
            ("normalizer.Parse(caller ID)", i =>
            {
                _ = normalizer.Parse(samples[i]);
                return Task.CompletedTask;
            }),
            ("raw driver, lookup SQL, pre-normalized", async i =>
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var command = new MySqlCommand(rawSql, connection);
                command.Parameters.AddWithValue(LookupSql.NumberParameter, normalized[i]);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var f = 0; f < reader.FieldCount; f++)
                    {
                        _ = reader.GetValue(f);
                    }
                }
            }),
            ("LookupSql on a pooled context's connection, pre-normalized", async i =>
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                _ = await LookupSql.ByNumberAsync(db, normalized[i], CancellationToken.None);
            }),
            ("LookupSql on one long-lived context, pre-normalized", async i =>
            {
                _ = await LookupSql.ByNumberAsync(longLived, normalized[i], CancellationToken.None);
            }),
            ("CallerResolver.ResolveAsync(caller ID)", async i =>
            {
                _ = await resolver.ResolveAsync(samples[i], CancellationToken.None);
            }),
        };

        // Interleaved rounds, median per step: the machine may be busy with other work, and drift
        // then hits every step alike instead of whichever ran last.
        var selected = steps.Where((_, i) => only is null || only.Split(',').Contains((i + 1).ToString(CultureInfo.InvariantCulture))).ToArray();
        foreach (var (_, run) in selected)
        {
            for (var i = 0; i < Math.Min(500, samples.Length); i++)
            {
                await run(i); // warm-up: JIT, pools, the server's caches
            }
        }
        const int rounds = 7;
        var perRound = Math.Max(1, samples.Length / rounds);
        var results = selected.Select(_ => new List<(double Wall, double Cpu, double Bytes)>()).ToArray();
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < selected.Length; k++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                for (var i = round * perRound; i < (round + 1) * perRound; i++)
                {
                    await selected[k].Run(i % samples.Length);
                }
                var wall = watch.Elapsed;
                process.Refresh();
                results[k].Add((wall.TotalMicroseconds / perRound, (process.TotalProcessorTime - cpu).TotalMicroseconds / perRound,
                    (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / perRound));
            }
        }
        for (var k = 0; k < selected.Length; k++)
        {
            static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BREAKDOWN\t{selected[k].Name}\t{Median(results[k].Select(r => r.Wall)):F1}\t{Median(results[k].Select(r => r.Cpu)):F1}\t{results[k].Average(r => r.Bytes):F0}"));
        }
        return 0;
    }
}
