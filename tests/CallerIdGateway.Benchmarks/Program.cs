using BenchmarkDotNet.Running;

// Lookup load run pieces (bench/lookup-load.sh, docs/performance.md), independent of BenchmarkDotNet.
if (args is ["lookup", ..])
{
    return await CallerIdGateway.Benchmarks.Lookup.LookupCommands.MainAsync(args[1..]);
}

// Ring-to-screen latency run (bench/ring-latency.sh, docs/performance.md).
if (args is ["ring-latency", ..])
{
    return await CallerIdGateway.Benchmarks.Latency.RingLatencyRun.MainAsync(args[1..]);
}

// dotnet run -c Release --project tests/CallerIdGateway.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args);
return 0;

internal sealed class BenchmarkEntryPoint;
