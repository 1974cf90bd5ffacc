using CallerIdGateway.Sources;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.Diagnostics;

/// <summary>One call change the gateway pushed for an extension, as the diagnostics page lists it.</summary>
public sealed record ExtensionEvent(
    DateTimeOffset At, string CallId, string State, string Direction, string Number, string Lookup, string Source);

/// <summary>
/// The last call changes pushed per monitored extension, so a supervisor can see whether a call that
/// rang reached the gateway at all ("why no card?"): none means the PBX's events never named that
/// extension; a change with lookup <c>notFound</c> means the number did not match. One more notifier
/// beside the hub and the call log; kept in memory only.
/// </summary>
public sealed class ExtensionActivity(MonitoredExtensions monitored, TimeProvider time) : ICallNotifier
{
    public const int Kept = 10;

    private readonly Dictionary<string, LinkedList<ExtensionEvent>> _events = new(StringComparer.OrdinalIgnoreCase);

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        var seen = new ExtensionEvent(time.GetUtcNow(), call.Id, ContractJson.Name(call.State), ContractJson.Name(call.Direction),
            call.RemoteNumber, ContractJson.Name(data.Lookup), call.Source.ToString().ToLowerInvariant());
        lock (_events)
        {
            if (!_events.TryGetValue(call.Extension, out var list))
            {
                _events[call.Extension] = list = new LinkedList<ExtensionEvent>();
            }
            list.AddFirst(seen);
            if (list.Count > Kept)
            {
                list.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Every monitored extension (those without a change too), newest change first.</summary>
    public IReadOnlyList<(string Extension, IReadOnlyList<ExtensionEvent> Events)> Snapshot()
    {
        lock (_events)
        {
            return [.. monitored.All.Union(_events.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)
                .Select(e => (e, (IReadOnlyList<ExtensionEvent>)(_events.TryGetValue(e, out var list) ? [.. list] : [])))];
        }
    }
}
