using System.Text;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Sources;

/// <summary>
/// Each mapper's event filter is built from its handler table: an event added to the table reaches it,
/// through the filter the source really configures, instead of being dropped upstream without a word.
/// </summary>
public class EventTablesTests
{
    [Fact]
    public void Every_AMI_event_the_mapper_handles_passes_the_sources_filter()
    {
        var filter = new AmiEventFilter(new AmiSourceOptions().WantedEvents);

        Assert.NotEmpty(AmiCallFacts.HandledEvents);
        Assert.All(AmiCallFacts.HandledEvents, name => Assert.True(filter.Wants(Encoding.UTF8.GetBytes(name)), $"{name} is filtered out"));
    }

    [Fact]
    public void The_AMI_filter_is_the_table_plus_the_resync_list_and_nothing_else()
    {
        Assert.True(AmiCallFacts.WantedEvents.SetEquals(AmiCallFacts.HandledEvents.Append("CoreShowChannel").Append("CoreShowChannelsComplete")));
    }

    [Fact]
    public void Every_ARI_event_the_mapper_handles_passes_the_sources_filter_as_a_typed_record()
    {
        var wanted = new AriSourceOptions().EventTypes!;

        Assert.NotEmpty(AriCallFacts.HandledEvents);
        Assert.All(AriCallFacts.HandledEvents, name =>
        {
            Assert.Contains(name, wanted);
            Assert.Contains(name, AriEventParser.TypedEvents); // not an AriUnknownEvent, which no handler reads
        });
        Assert.True(AriCallFacts.WantedEvents.SetEquals(AriCallFacts.HandledEvents));
    }
}
