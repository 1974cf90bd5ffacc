using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Asterisk.Tests.Ari;

public class AriEndpointsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8088/ari", "ws://127.0.0.1:8088/ari/events?app=callerid-gateway&subscribeAll=true")]
    [InlineData("http://127.0.0.1:8088/ari/", "ws://127.0.0.1:8088/ari/events?app=callerid-gateway&subscribeAll=true")]
    [InlineData("https://pbx.example/ari", "wss://pbx.example/ari/events?app=callerid-gateway&subscribeAll=true")]
    [InlineData("http://pbx.example:80/asterisk/ari?x=1", "ws://pbx.example/asterisk/ari/events?app=callerid-gateway&subscribeAll=true")]
    public void The_events_url_asks_for_every_event_of_the_application(string baseUrl, string expected)
    {
        var options = new AriClientOptions { BaseUrl = new Uri(baseUrl) };

        Assert.Equal(expected, AriEndpoints.Events(options, withApiKey: true).AbsoluteUri);
    }

    [Fact]
    public void The_api_key_goes_in_the_query_only_when_asked_and_never_in_the_url_for_logs()
    {
        var options = new AriClientOptions { Username = "gw", Password = "p&ss word", Application = "cid gw", UseApiKeyQuery = true };

        Assert.Equal("ws://127.0.0.1:8088/ari/events?app=cid%20gw&subscribeAll=true&api_key=gw%3Ap%26ss%20word", AriEndpoints.Events(options, withApiKey: true).AbsoluteUri);
        Assert.DoesNotContain("api_key", AriEndpoints.Events(options, withApiKey: false).AbsoluteUri);
        Assert.DoesNotContain("api_key", AriEndpoints.Events(new AriClientOptions { Password = "x" }, withApiKey: true).AbsoluteUri);
    }

    [Fact]
    public void Rest_paths_go_under_the_ari_root()
    {
        var options = new AriClientOptions { BaseUrl = new Uri("http://pbx:8088/ari") };

        Assert.Equal("http://pbx:8088/ari/channels/1.2", AriEndpoints.Rest(options, "channels/1.2").AbsoluteUri);
    }

    [Fact]
    public void Basic_authorization_is_user_colon_password_in_utf8()
    {
        var header = AriEndpoints.BasicAuthorization(new AriClientOptions { Username = "gateway", Password = "رمز" });

        Assert.Equal("Basic", header.Scheme);
        Assert.Equal("gateway:رمز", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)));
    }

    [Theory]
    [InlineData("/ari")]
    [InlineData("ftp://pbx/ari")]
    public void Refuses_a_base_url_that_is_not_absolute_http(string baseUrl)
    {
        var options = new AriClientOptions { BaseUrl = new Uri(baseUrl, UriKind.RelativeOrAbsolute) };

        Assert.Throws<ArgumentException>(() => AriEndpoints.Root(options));
    }
}
