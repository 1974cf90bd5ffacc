using CallerIdGateway.Contracts;

namespace CallerIdGateway.Calls;

/// <summary>Where a call's <see cref="CustomerCallData"/> goes on every change: the hub, the call log, the console.</summary>
public interface ICallNotifier
{
    Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken);
}
