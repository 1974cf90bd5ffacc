using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan;

/// <summary>
/// The caller lookup for the dialplan: the same <see cref="CallerResolver"/> as the screen pop, but
/// never longer than <see cref="DialplanOptions.CallerNameBudget"/>, because the dialplan blocks the
/// ringing call while it waits.
/// </summary>
public sealed partial class CallerNameLookup(
    CallerResolver resolver,
    IOptions<DialplanOptions> options,
    TimeProvider time,
    ILogger<CallerNameLookup> logger)
{
    private readonly TimeSpan _budget = options.Value.CallerNameBudget;

    /// <summary>The lookup result, or null when it did not come within the budget (or the caller went away).</summary>
    public async Task<CustomerCallData?> ResolveAsync(string? number, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_budget);
        // On the thread pool: the resolver may block before its first await (query compilation, the
        // database host's DNS), and the budget counts from here regardless.
        var lookup = Task.Run(() => resolver.ResolveAsync(number, budget.Token), CancellationToken.None);
        try
        {
            // The resolver observes the token, but a driver stuck in a socket read might not:
            // never wait past the budget, whatever the lookup does.
            return await lookup.WaitAsync(_budget, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Whatever the abandoned lookup ends with (usually its cancellation) is of no interest now.
            _ = lookup.ContinueWith(static t => t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (!cancellationToken.IsCancellationRequested)
            {
                LogOverBudget(logger, number ?? "", (int)_budget.TotalMilliseconds);
            }
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Caller lookup of {Number} for the dialplan took longer than {BudgetMs} ms; answered without a name")]
    private static partial void LogOverBudget(ILogger logger, string number, int budgetMs);
}
