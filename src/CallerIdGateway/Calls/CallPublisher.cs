using System.Collections.Concurrent;
using System.Text.Json;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;

namespace CallerIdGateway.Calls;

/// <summary>Where a call's <see cref="CustomerCallData"/> goes on every change: the hub, the call log, the console.</summary>
public interface ICallNotifier
{
    Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken);
}

/// <summary>
/// Turns tracker changes into <see cref="CustomerCallData"/>: the caller is resolved once, when the
/// call starts ringing, and that result travels with every later change of the call. Changes of
/// one call are delivered in order; different calls never wait for each other.
/// </summary>
public sealed partial class CallPublisher(CallerResolver resolver, IEnumerable<ICallNotifier> notifiers, ILogger<CallPublisher> logger)
    : ICallChangeHandler
{
    private readonly ConcurrentDictionary<(string CallId, string Extension), CallPipe> _pipes = new();

    public void OnCallChanged(CallInfo call)
    {
        var key = (call.Id, call.Extension);
        var pipe = _pipes.GetOrAdd(key, _ => new CallPipe(call.LookupNumber, Resolve(call.LookupNumber)));
        if (pipe.Number != call.LookupNumber)
        {
            // Someone else now: a consultation became the customer's call, a click-to-call leg dialled another number.
            pipe.Number = call.LookupNumber;
            pipe.Lookup = Resolve(call.LookupNumber);
        }
        var previous = pipe.Tail;
        pipe.Tail = PublishAsync(previous, pipe.Lookup, call);
        if (!call.IsActive)
        {
            // The last change of this call: forget it once delivered (a re-ring starts a new pipe).
            var tail = pipe.Tail;
            _ = tail.ContinueWith(_ => _pipes.TryRemove(new KeyValuePair<(string, string), CallPipe>(key, pipe)), TaskScheduler.Default);
        }
    }

    /// <summary>The customer behind a number; a colleague's call (no number to look up) is not looked up.</summary>
    private Task<CustomerCallData> Resolve(string? number) => number is null
        ? Task.FromResult(new CustomerCallData { Lookup = LookupStatus.Colleague })
        : resolver.ResolveAsync(number, CancellationToken.None);

    /// <summary>Waits until every queued notification has been delivered (tests, shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_pipes.Values.Select(p => p.Tail));

    private async Task PublishAsync(Task previous, Task<CustomerCallData> lookup, CallInfo call)
    {
        await previous;
        var data = await lookup with { Call = CallViews.ToView(call) };
        // Side by side: the push to the screens must not wait for the call log's database write.
        await Task.WhenAll(notifiers.Select(notifier => NotifyAsync(notifier, call, data)));
    }

    private async Task NotifyAsync(ICallNotifier notifier, CallInfo call, CustomerCallData data)
    {
        try
        {
            await notifier.NotifyAsync(call, data, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotifierFailed(logger, notifier.GetType().Name, call.Id, e);
        }
    }

    private sealed class CallPipe(string? number, Task<CustomerCallData> lookup)
    {
        public string? Number { get; set; } = number;

        public Task<CustomerCallData> Lookup { get; set; } = lookup;

        public Task Tail { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Error, "{Notifier} failed for call {CallId}")]
    private static partial void LogNotifierFailed(ILogger logger, string notifier, string callId, Exception exception);
}

/// <summary>One structured log line per call change, with the customer and the last invoice.</summary>
public sealed partial class CallConsoleLog(ILogger<CallConsoleLog> logger) : ICallNotifier
{
    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        LogCall(logger, call.Extension, call.State, call.Direction, call.RemoteNumber, data.Lookup, data.Customer?.Name, data.Customer?.Id,
            data.LastInvoice?.Number, data.LastInvoice?.TotalAmount, data.LastInvoice?.Currency, data.LastInvoice?.Status, call.Id, call.Source);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information,
        "Call on {Extension} {State} ({Direction}): {RemoteNumber} → {Lookup} {CustomerName} (#{CustomerId}), last invoice {InvoiceNumber} {InvoiceAmount} {InvoiceCurrency} {InvoiceStatus} [call {CallId} via {Source}]")]
    private static partial void LogCall(ILogger logger, string extension, CallState state, CallDirection direction, string remoteNumber, LookupStatus lookup,
        string? customerName, long? customerId, string? invoiceNumber, decimal? invoiceAmount, string? invoiceCurrency, string? invoiceStatus,
        string callId, CallSource source);
}

internal static class CallViews
{
    public static CallView ToView(CallInfo call) => new()
    {
        Id = call.Id,
        Extension = call.Extension,
        CallerNumber = call.CallerNumber,
        CallerName = call.CallerName,
        NormalizedNumber = call.NormalizedNumber,
        State = ContractJson.Name(call.State),
        Source = call.Source.ToString().ToLowerInvariant(),
        StartedAt = call.StartedAt,
        AnsweredAt = call.AnsweredAt,
        EndedAt = call.EndedAt,
        AnsweredBy = call.AnsweredBy,
        Direction = ContractJson.Name(call.Direction),
        RemoteNumber = call.RemoteNumber,
        RemoteName = call.RemoteName,
        Outcome = call.Outcome is { } outcome && !call.IsActive ? JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString()) : null,
        Transfer = call.Transfer is { } t ? new TransferView(ContractJson.Name(t.Kind), t.From, t.To, t.Completed, t.CustomerNumber, t.CustomerName) : null,
    };
}
