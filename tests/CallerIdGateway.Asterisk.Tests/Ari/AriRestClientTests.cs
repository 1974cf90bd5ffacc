using System.Net;
using System.Text.Json;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Asterisk.Tests.Ari;

/// <summary>The REST client against the test ARI server over real HTTP.</summary>
public sealed class AriRestClientTests : IAsyncLifetime
{
    private readonly TestAriServer _server = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Reads_the_resync_snapshot_and_single_channels()
    {
        _server.Channels = TestAriServer.ChannelsFromFixture(AsteriskFixtures.ChanSip16, "answered");
        var client = Client();

        var channels = await client.GetChannelsAsync();
        var phone = await client.GetChannelAsync(channels[0].Id);

        Assert.Equal(2, channels.Count);
        Assert.Equal("SIP/1008-00000001", phone!.Name);
        Assert.Equal("12345678", phone.Connected.Number);
        Assert.Null(await client.GetChannelAsync("no-such-channel"));
    }

    [Fact]
    public async Task Reads_the_linkedid_of_each_channel_of_the_snapshot()
    {
        _server.Channels = TestAriServer.ChannelsFromFixture(AsteriskFixtures.ChanSip16, "answered");
        _server.LinkedIds = AsteriskFixtures.LinkedIds(AsteriskFixtures.ChanSip16, "answered");
        var client = Client();

        var linked = new List<string?>();
        foreach (var channel in await client.GetChannelsAsync())
        {
            linked.Add(await client.GetChannelVariableAsync(channel.Id, "CHANNEL(linkedid)"));
        }

        Assert.Equal(["1795483618.0", "1795483618.0"], linked);
        Assert.Null(await client.GetChannelVariableAsync("no-such-channel", "CHANNEL(linkedid)"));
    }

    [Fact]
    public async Task An_empty_pbx_has_no_channels()
    {
        Assert.Empty(await Client().GetChannelsAsync());
    }

    [Fact]
    public async Task Hangs_up_a_channel_once()
    {
        _server.Channels = TestAriServer.ChannelsFromFixture(AsteriskFixtures.Pjsip22, "answered");
        var client = Client();

        Assert.True(await client.HangupChannelAsync("1795481777.1", "answered_elsewhere"));
        Assert.False(await client.HangupChannelAsync("1795481777.1"));

        Assert.Equal([new TestAriHangup("1795481777.1", "answered_elsewhere")], _server.Hangups);
        Assert.Single(await client.GetChannelsAsync());
    }

    [Fact]
    public async Task Originates_a_call()
    {
        var channel = await Client().OriginateAsync("PJSIP/1008", "09123456789", "from-internal", variables: new Dictionary<string, string> { ["CDR(source)"] = "gateway" });

        Assert.Equal("Down", channel.State);
        var origination = Assert.Single(_server.Originations);
        Assert.Equal("PJSIP/1008", origination.Query["endpoint"]);
        Assert.Equal("09123456789", origination.Query["extension"]);
        Assert.Equal("gateway", JsonDocument.Parse(origination.Body).RootElement.GetProperty("variables").GetProperty("CDR(source)").GetString());
    }

    [Fact]
    public async Task Reads_the_asterisk_info()
    {
        var info = await Client().GetAsteriskInfoAsync();

        Assert.Equal("22.10.1", info.System!.Version);
        Assert.NotNull(info.Status!.StartupTime);
    }

    [Fact]
    public async Task Refused_credentials_throw_the_authentication_exception()
    {
        _server.RefuseAuth = true;

        await Assert.ThrowsAsync<AsteriskAuthenticationException>(() => Client().GetChannelsAsync());
    }

    [Fact]
    public async Task A_bad_request_reports_status_and_message()
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Client().OriginateAsync(" ", "1", "x"));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("Endpoint must be specified", ex.Message);
    }

    private AriRestClient Client() => new(_http, new AriClientOptions
    {
        BaseUrl = _server.BaseUrl,
        Username = _server.Username,
        Password = _server.Password,
    });
}
