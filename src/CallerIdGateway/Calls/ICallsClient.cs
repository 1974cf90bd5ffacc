using CallerIdGateway.Contracts;

namespace CallerIdGateway.Calls;

/// <summary>What the server calls on a hub client (docs/contract.md).</summary>
public interface ICallsClient
{
    /// <summary>A call on a subscribed extension started ringing or changed state.</summary>
    Task CallChanged(CustomerCallData call);
}
