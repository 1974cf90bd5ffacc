using CallerIdGateway.Calls;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// Every change the tracker emits, in the exact order of its single loop. Facts are applied in the
/// order they were posted, so once a later "sentinel" call shows up here, every fact posted before
/// it has been applied: absence can be asserted without sleeping.
/// </summary>
public sealed class RecordingCallChanges : ICallChangeHandler
{
    private readonly List<CallInfo> _changes = [];

    public void OnCallChanged(CallInfo call)
    {
        lock (_changes)
        {
            _changes.Add(call);
        }
    }

    public IReadOnlyList<CallInfo> Of(string callId)
    {
        lock (_changes)
        {
            return _changes.Where(c => c.Id == callId).ToList();
        }
    }

    public async Task WaitForAsync(string callId, CallState state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!Of(callId).Any(c => c.State == state))
        {
            Assert.True(DateTime.UtcNow < deadline, $"call {callId} never became {state}; it went: {string.Join(", ", Of(callId).Select(c => c.State))}");
            await Task.Delay(10);
        }
    }
}
