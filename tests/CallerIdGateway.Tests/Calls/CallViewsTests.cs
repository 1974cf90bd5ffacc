using System.Text.Json;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

public class CallViewsTests
{
    [Theory]
    [InlineData(CallState.Ringing, "ringing")]
    [InlineData(CallState.Answered, "answered")]
    [InlineData(CallState.Ended, "ended")]
    [InlineData(CallState.Missed, "missed")]
    [InlineData(CallState.AnsweredElsewhere, "answeredElsewhere")]
    public void A_call_view_carries_the_state_name_of_the_contract(CallState state, string wireName)
    {
        var view = CallViews.ToView(new CallInfo
        {
            Id = "1", Extension = "1008", CallerNumber = "09123456789", CallerName = "", State = state,
            Source = CallSource.Ami, StartedAt = DateTimeOffset.UnixEpoch,
        });

        Assert.Equal(wireName, view.State);
        Assert.Equal($"\"{wireName}\"", JsonSerializer.Serialize(state));
        Assert.Equal("ami", view.Source);
    }

    [Fact]
    public void Every_state_has_a_case_above() =>
        Assert.Equal(5, Enum.GetValues<CallState>().Length);
}
