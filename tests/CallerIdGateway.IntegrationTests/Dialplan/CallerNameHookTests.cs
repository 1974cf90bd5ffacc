using System.Net;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary><c>GET /api/dialplan/caller-name</c> as Asterisk's <c>CURL()</c> calls it, against the demo customers in MariaDB/MySQL.</summary>
public class CallerNameHookTests(DialplanGatewayFixture fixture) : IClassFixture<DialplanGatewayFixture>
{
    private const string Secret = DialplanGatewayFixture.Secret;

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(string query)
    {
        using var response = await fixture.Dialplan.GetAsync("/api/dialplan/caller-name?" + query);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_known_number_answers_the_customers_name_as_utf8_text()
    {
        var (status, body, contentType) = await GetAsync($"number=09123456789&secret={Secret}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain; charset=utf-8", contentType);
        Assert.Equal("خلیلی", body);
    }

    [Fact]
    public async Task Script_latin_answers_a_transliteration_for_desk_phones()
    {
        Assert.Equal("Khalili", (await GetAsync($"number=12345678&script=latin&secret={Secret}")).Body);
        Assert.Equal("Sherkat Bazargani Novin", (await GetAsync($"number=%2B982188776655&script=latin&secret={Secret}")).Body);
    }

    [Fact]
    public async Task A_long_name_is_cut_to_the_requested_length()
    {
        var (_, body, _) = await GetAsync($"number=02166554433&script=latin&maxLength=16&secret={Secret}");

        Assert.Equal("Forushgah Aftab", body);
    }

    [Fact]
    public async Task A_plus_pasted_unencoded_into_the_url_still_finds_the_customer()
    {
        // Set(CALLERID(name)=${CURL(http://…/caller-name?number=${CALLERID(num)})}) with +989121112233 as the caller.
        var (_, body, _) = await GetAsync($"number=+989121112233&secret={Secret}");

        Assert.Equal("شرکت بازرگانی نوین", body);
    }

    [Theory]
    [InlineData("number=09350000000")]          // nobody has it
    [InlineData("number=anonymous")]            // withheld
    [InlineData("number=%3Cscript%3Ealert(1)%3C%2Fscript%3E")] // not a number
    [InlineData("number=" + "1234567890123456789012345678901234567890")]
    [InlineData("")]                            // no number at all
    public async Task Anything_but_a_known_number_answers_200_with_an_empty_body(string query)
    {
        var (status, body, _) = await GetAsync($"{query}&secret={Secret}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task The_secret_may_come_as_a_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dialplan/caller-name?number=09123456789");
        request.Headers.Add("X-Dialplan-Secret", Secret);

        using var response = await fixture.Dialplan.SendAsync(request);

        Assert.Equal("خلیلی", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("number=09123456789")]
    [InlineData("number=09123456789&secret=tests-dialplan-secret-9999")]
    public async Task Without_the_right_secret_it_answers_401_with_an_empty_body_that_cannot_end_up_on_a_display(string query)
    {
        var (status, body, _) = await GetAsync(query);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Agent_credentials_do_not_open_the_hook()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dialplan/caller-name?number=09123456789");
        request.Headers.Add("X-Api-Key", Infrastructure.GatewayApp.ApiKey);

        using var response = await fixture.Dialplan.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
