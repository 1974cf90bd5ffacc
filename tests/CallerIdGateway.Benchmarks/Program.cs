using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/CallerIdGateway.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args);

internal sealed class BenchmarkEntryPoint;
