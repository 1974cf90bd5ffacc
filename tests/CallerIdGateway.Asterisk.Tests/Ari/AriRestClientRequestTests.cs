using System.Net;
using System.Text;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Asterisk.Tests.Ari;

public class AriRestClientRequestTests
{
    private readonly StubHandler _http = new();
    private readonly AriRestClient _client;

    public AriRestClientRequestTests()
    {
        _client = new AriRestClient(new HttpClient(_http), new AriClientOptions
        {
            BaseUrl = new Uri("http://pbx:8088/ari"),
            Username = "gateway",
            Password = "secret",
        });
    }

    [Fact]
    public async Task Reads_the_channel_list_with_basic_auth()
    {
        _http.Respond(HttpStatusCode.OK, File.ReadAllText(AsteriskFixtures.PathOf(AsteriskFixtures.Pjsip22, "answered", "ari-channels.json")));

        var channels = await _client.GetChannelsAsync();

        Assert.Equal(["PJSIP/1008-00000001", "PJSIP/provider-00000000"], channels.Select(c => c.Name));
        Assert.Equal("12345678", channels[0].Connected.Number);
        var request = Assert.Single(_http.Requests);
        Assert.Equal("GET http://pbx:8088/ari/channels", request.Line);
        Assert.Equal("Basic " + Convert.ToBase64String("gateway:secret"u8.ToArray()), request.Authorization);
    }

    [Fact]
    public async Task A_channel_that_is_gone_is_null()
    {
        _http.Respond(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");

        Assert.Null(await _client.GetChannelAsync("1795481777.1"));
        Assert.Equal("GET http://pbx:8088/ari/channels/1795481777.1", _http.Requests[0].Line);
    }

    [Fact]
    public async Task Reads_a_channel_variable_and_null_when_the_channel_is_gone()
    {
        _http.Respond(HttpStatusCode.OK, """{"value":"1795481777.0"}""");
        _http.Respond(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");

        Assert.Equal("1795481777.0", await _client.GetChannelVariableAsync("1795481777.1", "CHANNEL(linkedid)"));
        Assert.Null(await _client.GetChannelVariableAsync("1795481777.1", "CHANNEL(linkedid)"));

        Assert.Equal("GET http://pbx:8088/ari/channels/1795481777.1/variable?variable=CHANNEL%28linkedid%29", _http.Requests[0].Line);
    }

    [Fact]
    public async Task Hangup_sends_the_reason_and_reports_a_channel_already_gone()
    {
        _http.Respond(HttpStatusCode.NoContent, "");
        _http.Respond(HttpStatusCode.NotFound, """{"message":"Channel not found"}""");

        Assert.True(await _client.HangupChannelAsync("1.2", "busy"));
        Assert.False(await _client.HangupChannelAsync("1.2"));

        Assert.Equal("DELETE http://pbx:8088/ari/channels/1.2?reason=busy", _http.Requests[0].Line);
        Assert.Equal("DELETE http://pbx:8088/ari/channels/1.2?reason=normal", _http.Requests[1].Line);
    }

    [Fact]
    public async Task Originate_puts_the_call_in_the_query_and_the_variables_in_the_body()
    {
        _http.Respond(HttpStatusCode.OK, AriEventParserTests.ChannelJson("1795490000.1", "PJSIP/1008-00000020"));

        var channel = await _client.OriginateAsync(
            "PJSIP/1008", "09123456789", "from-internal", callerId: "\"Shop\" <1008>", timeout: TimeSpan.FromSeconds(25),
            variables: new Dictionary<string, string> { ["CALLERID(name)"] = "خلیلی" });

        Assert.Equal("1795490000.1", channel.Id);
        var request = Assert.Single(_http.Requests);
        Assert.Equal(
            "POST http://pbx:8088/ari/channels?endpoint=PJSIP%2F1008&extension=09123456789&context=from-internal&priority=1&callerId=%22Shop%22%20%3C1008%3E&timeout=25",
            request.Line);
        Assert.Equal("""{"variables":{"CALLERID(name)":"خلیلی"}}""", System.Text.RegularExpressions.Regex.Unescape(request.Body!));
    }

    [Fact]
    public async Task Click_to_call_without_variables_is_the_captured_request_with_no_body()
    {
        _http.Respond(HttpStatusCode.OK, AriEventParserTests.ChannelJson("1796176520.21", "PJSIP/1008-0000000f"));

        await _client.OriginateAsync("PJSIP/1008", "09123456789", "internal", callerId: "\"خلیلی\" <09123456789>", timeout: TimeSpan.FromSeconds(30));

        var request = Assert.Single(_http.Requests);
        // tests/fixtures/asterisk/22.10.1-pjsip/click-to-call-ari/rest.txt
        Assert.Equal(
            "POST http://pbx:8088/ari/channels?endpoint=PJSIP%2F1008&extension=09123456789&context=internal&priority=1&callerId=%22%D8%AE%D9%84%DB%8C%D9%84%DB%8C%22%20%3C09123456789%3E&timeout=30",
            request.Line);
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task Hangup_without_a_reason_sends_none_as_in_the_capture()
    {
        _http.Respond(HttpStatusCode.NoContent, "");

        Assert.True(await _client.HangupChannelAsync("1796176548.26", reason: null));

        Assert.Equal("DELETE http://pbx:8088/ari/channels/1796176548.26", Assert.Single(_http.Requests).Line);
    }

    [Fact]
    public async Task Reads_the_asterisk_version_and_start_time()
    {
        _http.Respond(HttpStatusCode.OK, """{"build":{"os":"Linux"},"system":{"version":"16.30.1","entity_id":"02:fc:00:00:00:01"},"config":{"name":""},"status":{"startup_time":"2026-11-24T01:20:00.123+0330","last_reload_time":"2026-11-24T01:20:00.123+0330"}}""");

        var info = await _client.GetAsteriskInfoAsync();

        Assert.Equal("16.30.1", info.System!.Version);
        Assert.Equal("02:fc:00:00:00:01", info.System.EntityId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 1, 20, 0, 123, new TimeSpan(3, 30, 0)), info.Status!.StartupTime);
    }

    [Fact]
    public async Task Wrong_credentials_throw_the_authentication_exception_naming_the_user()
    {
        _http.Respond(HttpStatusCode.Unauthorized, """{"error":"Authentication required"}""");

        var ex = await Assert.ThrowsAsync<AsteriskAuthenticationException>(() => _client.GetChannelsAsync());

        Assert.Contains("'gateway'", ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
    }

    [Fact]
    public async Task Other_failures_carry_the_status_code_and_aris_message()
    {
        _http.Respond(HttpStatusCode.InternalServerError, """{"message":"Allocation failed"}""");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetChannelsAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("500", ex.Message);
        Assert.Contains("Allocation failed", ex.Message);
        Assert.Contains("/ari/channels", ex.Message);
    }

    [Fact]
    public async Task A_failure_with_a_body_that_is_not_json_still_reports_the_status()
    {
        _http.Respond(HttpStatusCode.BadGateway, "<html>proxy error</html>", "text/html");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetChannelAsync("1.2"));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
    }

    private sealed record SeenRequest(string Line, string? Authorization, string? Body);

    /// <summary>Answers from a queue and remembers what was asked: the client's HTTP without a network.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly Queue<(HttpStatusCode Status, string Body, string MediaType)> _responses = new();

        public List<SeenRequest> Requests { get; } = [];

        public void Respond(HttpStatusCode status, string body, string mediaType = "application/json") => _responses.Enqueue((status, body, mediaType));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new SeenRequest($"{request.Method} {request.RequestUri!.AbsoluteUri}", request.Headers.Authorization?.ToString(), body));
            var (status, responseBody, mediaType) = _responses.Dequeue();
            return new HttpResponseMessage(status)
            {
                RequestMessage = request,
                Content = new StringContent(responseBody, Encoding.UTF8, mediaType),
            };
        }
    }
}
