using CallerIdGateway.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace CallerIdGateway.Calls;

/// <summary>Pushes each call change to the hub groups of its extension.</summary>
public sealed class HubCallNotifier(IHubContext<CallsHub, ICallsClient> hub) : ICallNotifier
{
    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken) =>
        hub.Clients.Groups(CallsHub.Group(call.Extension), CallsHub.AllGroup).CallChanged(data);
}
