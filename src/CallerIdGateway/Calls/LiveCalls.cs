using CallerIdGateway.Contracts;

namespace CallerIdGateway.Calls;

/// <summary>
/// The calls ringing or answered now, each with the payload last pushed for it: what a client that
/// (re)connects asks for (<c>GetActiveCalls</c>, <c>/api/calls/active</c>) to catch up with the calls it missed.
/// Registered before the hub's notifier, so a client that got a change and then asks sees that change here.
/// </summary>
public sealed class LiveCalls : ICallNotifier
{
    private readonly Dictionary<(string CallId, string Extension), CustomerCallData> _calls = [];
    private readonly Lock _lock = new();

    /// <summary>The latest payload of every call ringing or answered now, oldest first.</summary>
    public IReadOnlyList<CustomerCallData> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls.Values.OrderBy(d => d.Call!.StartedAt)];
            }
        }
    }

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (call.IsActive)
            {
                _calls[(call.Id, call.Extension)] = data;
            }
            else
            {
                _calls.Remove((call.Id, call.Extension));
            }
        }
        return Task.CompletedTask;
    }
}
