using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("CallerIdGateway.IntegrationTests.Infrastructure.TestRunCleanup", "CallerIdGateway.IntegrationTests")]

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// xunit's own test framework plus one step at the end of the run, before xunit reports the run
/// finished: stopping the shared MariaDB and deleting its folder and the run's test files. The test host is terminated
/// soon after that report, which cut a ProcessExit handler short in the middle of the work (the
/// folder stayed every run, the server one run in three).
/// </summary>
public sealed class TestRunCleanup(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(System.Reflection.AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(System.Reflection.AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            try
            {
                await MySqlServer.StopSharedAsync();
            }
            catch (Exception e)
            {
                Aggregator.Add(e);
            }
            TestFiles.DeleteFolder();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
