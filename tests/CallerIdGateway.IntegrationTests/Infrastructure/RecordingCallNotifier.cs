using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>Records every <see cref="CustomerCallData"/> the gateway publishes, in order.</summary>
public sealed class RecordingCallNotifier : ICallNotifier
{
    private readonly List<CustomerCallData> _published = [];

    public IReadOnlyList<CustomerCallData> Published { get { lock (_published) { return [.. _published]; } } }

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        lock (_published)
        {
            _published.Add(data);
        }
        return Task.CompletedTask;
    }

    public void Clear()
    {
        lock (_published)
        {
            _published.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> notifications arrived, then a moment more to catch extras.</summary>
    public async Task<IReadOnlyList<CustomerCallData>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Published.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200); // a duplicate would arrive right behind the expected ones
        return Published;
    }

    public async Task WaitUntilAsync(Func<IReadOnlyList<CustomerCallData>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition(Published))
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out; published: " + string.Join(" | ", Published.Select(d => $"{d.Call?.Extension} {d.Call?.CallerNumber} {d.Call?.State}")));
            await Task.Delay(20);
        }
    }
}
