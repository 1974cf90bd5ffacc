using System.Text.Json;
using System.Text.Json.Nodes;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.Tests.Calls;

/// <summary>The call as published: <see cref="CallInfo"/> serializes to the contract's <c>call</c> (docs/contract.md).</summary>
public class CallInfoJsonTests
{
    private static readonly JsonSerializerOptions Json = Contract();

    private static JsonSerializerOptions Contract()
    {
        var options = new JsonSerializerOptions();
        ContractJson.Configure(options);
        return options;
    }

    [Theory]
    [InlineData(CallState.Ringing, "ringing")]
    [InlineData(CallState.Answered, "answered")]
    [InlineData(CallState.Ended, "ended")]
    [InlineData(CallState.Missed, "missed")]
    [InlineData(CallState.AnsweredElsewhere, "answeredElsewhere")]
    public void A_published_call_carries_the_state_name_of_the_contract(CallState state, string wireName)
    {
        var json = JsonSerializer.SerializeToElement(new CallInfo
        {
            Id = "1", Extension = "1008", CallerNumber = "09123456789", CallerName = "", State = state,
            Source = CallSource.Ami, StartedAt = DateTimeOffset.UnixEpoch,
        }, Json);

        Assert.Equal(wireName, json.GetProperty("state").GetString());
        Assert.Equal($"\"{wireName}\"", JsonSerializer.Serialize(state));
        Assert.Equal("ami", json.GetProperty("source").GetString());
    }

    [Fact]
    public void Every_state_has_a_case_above() =>
        Assert.Equal(5, Enum.GetValues<CallState>().Length);

    [Fact]
    public void A_transferred_call_is_published_member_for_member_as_the_contract_has_it()
    {
        var call = new CallInfo
        {
            Id = "1732412345.42", Extension = "1008", CallerNumber = "1009", CallerName = "Reza", NormalizedNumber = "+989123456789",
            State = CallState.Ended, Source = CallSource.Hook, StartedAt = new DateTimeOffset(2026, 11, 24, 11, 45, 2, 120, TimeSpan.FromHours(3.5)),
            AnsweredAt = new DateTimeOffset(2026, 11, 24, 8, 15, 5, TimeSpan.Zero), EndedAt = new DateTimeOffset(2026, 11, 24, 8, 16, 0, TimeSpan.Zero),
            AnsweredBy = null, Direction = CallDirection.Inbound, RemoteNumber = "09123456789", RemoteName = "خلیلی", Outcome = LegOutcome.NoAnswer,
            Transfer = new CallTransfer(TransferKind.Attended, "1009", "1008", Completed: true, "09123456789", ""),
        };

        const string expected = """{"id":"1732412345.42","extension":"1008","callerNumber":"1009","callerName":"Reza","normalizedNumber":"+989123456789","state":"ended","source":"hook","startedAt":"2026-11-24T08:15:02.12Z","answeredAt":"2026-11-24T08:15:05Z","endedAt":"2026-11-24T08:16:00Z","answeredBy":null,"direction":"inbound","remoteNumber":"09123456789","remoteName":"\u062E\u0644\u06CC\u0644\u06CC","outcome":"noAnswer","transfer":{"kind":"attended","from":"1009","to":"1008","completed":true,"customerNumber":"09123456789","customerName":""}}""";
        var published = JsonSerializer.SerializeToNode(call, Json)!.AsObject();

        Assert.Equal(JsonNode.Parse(expected)!.AsObject().Select(p => p.Key), published.Select(p => p.Key)); // same members, same order
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), published), published.ToJsonString());
        Assert.Equal(call, JsonSerializer.Deserialize<CallInfo>(JsonSerializer.Serialize(call, Json), Json)! with { StartedAt = call.StartedAt });
    }
}
