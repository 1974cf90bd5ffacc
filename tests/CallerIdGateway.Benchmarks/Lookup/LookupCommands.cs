using System.Globalization;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.PhoneNumbers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// <c>CallerIdGateway.Benchmarks lookup &lt;command&gt;</c>: the pieces of bench/lookup-load.sh.
/// <code>
/// lookup generate --out DIR [--customers 1000000] [--samples 100000] [--seed 42]
/// lookup load --connection CS --data DIR
/// lookup floor --url http://127.0.0.1:PORT --connection CS
/// lookup check --name NAME --url-prefix URL --samples FILE [--max N] [--parallel P] [--api-key KEY]
/// lookup index-build --connection CS
/// lookup naive-share --data DIR
/// lookup breakdown --connection CS --samples FILE [--count 5000] [--steps 1,2,3,4]
/// lookup free-port
/// </code>
/// </summary>
public static class LookupCommands
{
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: lookup generate|load|floor|check|free-port [options] (see LookupCommands.cs)");
            return 2;
        }
        var options = CommandLine.Options(args[1..]);
        string Get(string key, string? fallback = null) =>
            options.TryGetValue(key, out var value) ? value : fallback ?? throw new ArgumentException($"--{key} is required for '{args[0]}'.");
        int GetInt(string key, int fallback) => options.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return args[0] switch
        {
            "generate" => await DataGenerator.RunAsync(Get("out"), GetInt("customers", 1_000_000), GetInt("samples", 100_000), GetInt("seed", 42)),
            "load" => await DataLoader.RunAsync(Get("connection"), Get("data")),
            "floor" => await FloorServer.RunAsync(Get("url"), Get("connection")),
            "check" => await LookupCheck.RunAsync(Get("name"), Get("url-prefix"), Get("samples"), GetInt("max", int.MaxValue), GetInt("parallel", 8),
                options.GetValueOrDefault("api-key")),
            "index-build" => await IndexBuildTiming.RunAsync(Get("connection")),
            "naive-share" => NaiveShare.Run(Get("data")),
            "breakdown" => await LookupPathBreakdown.RunAsync(Get("connection"), Get("samples"), GetInt("count", 5000),
                options.GetValueOrDefault("steps")),
            "free-port" => PrintFreePort(),
            _ => throw new ArgumentException($"Unknown lookup command '{args[0]}'."),
        };
    }

    /// <summary>
    /// The gateway's number parsing and data services, without HTTP, on a loaded database it attaches
    /// to (its own tables migrated once by a gateway start), as the in-process measurements need them.
    /// </summary>
    internal static HostApplicationBuilder AttachedGatewayBuilder(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:Mode"] = "Attach",
            ["ConnectionStrings:Gateway"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddPhoneNumbers();
        builder.AddGatewayData();
        builder.AddCustomers();
        builder.Services.AddSingleton<CallerIdGateway.Hosting.GatewayMetrics>(); // the resolver and the index sync record into it
        return builder;
    }

    private static int PrintFreePort()
    {
        Console.WriteLine(CommandLine.FreePort());
        return 0;
    }
}
