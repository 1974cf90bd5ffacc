using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.Hosting;

/// <summary>Counts what the publisher pushes; one more notifier beside the hub, the console log and the call log.</summary>
internal sealed class MetricsCallNotifier(GatewayMetrics metrics) : ICallNotifier
{
    // Calls in progress per extension and their last state: a state counts once, however often its call is pushed.
    private readonly Dictionary<(string Id, string Extension), CallState> _states = [];

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        bool changed, firstRing;
        lock (_states)
        {
            var key = (call.Id, call.Extension);
            var known = _states.TryGetValue(key, out var previous);
            changed = !known || previous != call.State;
            firstRing = !known && call.State == CallState.Ringing;
            if (call.State is CallState.Ringing or CallState.Answered)
            {
                _states[key] = call.State;
            }
            else
            {
                _states.Remove(key);
            }
        }
        metrics.Pushed(call, data, changed, firstRing);
        return Task.CompletedTask;
    }
}
