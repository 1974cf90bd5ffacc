using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.Tests.Calls;

public class LiveCallsTests
{
    private readonly LiveCalls _live = new();

    private static CallInfo Call(string id, CallState state, string extension = "1008", int startedAt = 0) => new()
    {
        Id = id, Extension = extension, CallerNumber = "09123456789", CallerName = "", State = state,
        Source = CallSource.Ari, StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(startedAt),
    };

    private Task Notify(CallInfo call, LookupStatus lookup = LookupStatus.NotFound) =>
        _live.NotifyAsync(call, new CustomerCallData { Lookup = lookup, Call = call }, CancellationToken.None);

    [Fact]
    public async Task A_call_is_live_from_ringing_until_it_ends_with_its_last_payload()
    {
        await Notify(Call("c1", CallState.Ringing));
        await Notify(Call("c1", CallState.Ringing), LookupStatus.Found);
        Assert.Equal(LookupStatus.Found, Assert.Single(_live.Active).Lookup);

        await Notify(Call("c1", CallState.Answered));
        Assert.Equal(CallState.Answered, Assert.Single(_live.Active).Call!.State);

        await Notify(Call("c1", CallState.Ended));
        Assert.Empty(_live.Active);
    }

    [Fact]
    public async Task Each_extension_of_a_call_is_its_own_live_call_listed_oldest_first()
    {
        await Notify(Call("c2", CallState.Ringing, startedAt: 5));
        await Notify(Call("c1", CallState.Ringing, "1008", startedAt: 1));
        await Notify(Call("c1", CallState.Ringing, "1009", startedAt: 1));
        await Notify(Call("c1", CallState.AnsweredElsewhere, "1009", startedAt: 1));

        Assert.Equal(["c1 1008", "c2 1008"], _live.Active.Select(d => $"{d.Call!.Id} {d.Call.Extension}"));
    }
}
