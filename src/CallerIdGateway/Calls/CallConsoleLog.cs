using CallerIdGateway.Contracts;

namespace CallerIdGateway.Calls;

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
