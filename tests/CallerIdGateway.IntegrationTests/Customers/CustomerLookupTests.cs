using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CallerIdGateway.IntegrationTests.Customers;

/// <summary>The REST lookup against the demo data, on every provider (subclasses below).</summary>
public abstract class CustomerLookupTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : GatewayFixture
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string> FormsOfKhalilisMobile =>
    [
        "09123456789", "+989123456789", "00989123456789", "989123456789", "9123456789",
        "۰۹۱۲۳۴۵۶۷۸۹", "٠٩١٢٣٤٥٦٧٨٩", "0912 345 6789", "(0912) 345-6789", "tel:+989123456789", "sip:09123456789@pbx",
    ];

    [Theory]
    [MemberData(nameof(FormsOfKhalilisMobile))]
    public async Task Finds_the_customer_whatever_the_format_of_the_mobile_number(string number)
    {
        var result = await fixture.App.LookupAsync(Client, number);

        Assert.NotNull(result);
        Assert.Equal("found", result.Lookup);
        Assert.Equal("خلیلی", result.Customer!.Name);
        Assert.Equal(["09123456789", "12345678", "02112345678"], result.Customer.PhoneNumbers);
        Assert.Equal("+989123456789", result.Number!.Normalized);
        Assert.Equal("0912 345 6789", result.Number.Display);
        Assert.Equal(number, result.Number.Input);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("02112345678")]
    [InlineData("+982112345678")]
    [InlineData("2112345678")]
    [InlineData("۰۲۱-۱۲۳۴-۵۶۷۸")]
    public async Task Finds_the_customer_by_a_tehran_local_number_in_any_form(string number)
    {
        var result = await fixture.App.LookupAsync(Client, number);

        Assert.Equal("خلیلی", result!.Customer!.Name);
        Assert.Equal("+982112345678", result.Number!.Normalized);
    }

    [Fact]
    public async Task Returns_the_last_invoice_of_the_customer()
    {
        var result = await fixture.App.LookupAsync(Client, "09123456789");

        var invoice = result!.LastInvoice!;
        Assert.Equal("1403-0457", invoice.Number);
        Assert.Equal(125_000_000m, invoice.TotalAmount);
        Assert.Equal("IRR", invoice.Currency);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(TimeSpan.Zero, invoice.IssuedAt!.Value.Offset);
    }

    [Fact]
    public async Task Answers_with_the_published_json_shape()
    {
        var json = await Client.GetStringAsync("/api/customers/by-phone/09123456789");

        Assert.StartsWith("""{"call":null,"lookup":"found",""", json);
        Assert.Matches("\"issuedAt\":\"[0-9T:.-]+Z\"", json);
        Assert.Contains("\"totalAmount\":125000000,", json);
    }

    [Fact]
    public async Task A_shared_number_returns_the_customer_with_the_newest_invoice_and_the_others()
    {
        var result = await fixture.App.LookupAsync(Client, "021 6655 4433");

        Assert.Equal("فروشگاه آفتاب – شعبه مرکزی", result!.Customer!.Name);
        var other = Assert.Single(result.OtherMatches);
        Assert.Equal("فروشگاه آفتاب – انبار", other.Customer.Name);
        Assert.Equal("021-6655-4433", other.Customer.MatchedNumber);
        Assert.Equal("1403-0301", other.LastInvoice!.Number);
    }

    [Fact]
    public async Task A_customer_without_invoices_has_a_null_last_invoice()
    {
        var result = await fixture.App.LookupAsync(Client, "+98 935 123 4568");

        Assert.Equal("Sara Ahmadi", result!.Customer!.Name);
        Assert.Null(result.LastInvoice);
    }

    [Fact]
    public async Task An_unknown_number_is_a_404_problem_with_the_normalized_number()
    {
        var response = await Client.GetAsync("/api/customers/by-phone/09350000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("+989350000000", problem!.Detail);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("unknown")]
    [InlineData("Restricted")]
    [InlineData("<unknown>")]
    [InlineData("abc")]
    [InlineData("0912abc6789")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("0912\u0007345")]
    [InlineData(" ")]
    public async Task Input_that_is_not_a_phone_number_is_a_400_problem_that_says_why(string input)
    {
        var response = await Client.GetAsync($"/api/customers/by-phone/{Uri.EscapeDataString(input)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        var message = Assert.Single(Assert.Single(problem!.Errors).Value);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public async Task Replacing_numbers_is_seen_by_the_lookup_at_once()
    {
        var rezaId = (await fixture.App.LookupAsync(Client, "09351234567"))!.Customer!.Id;

        var response = await Client.PutAsJsonAsync($"/api/customers/{rezaId}/phone-numbers",
            new { phoneNumbers = new[] { " 0935-123-4567 ", "09351234567", "۰۹۱۹۸۷۶۵۴۳۲", "44556677" } });

        response.EnsureSuccessStatusCode();
        var saved = await response.Content.ReadFromJsonAsync<PhoneNumbersDto>();
        Assert.Equal(["0935-123-4567", "۰۹۱۹۸۷۶۵۴۳۲", "44556677"], saved!.PhoneNumbers);
        Assert.Equal(["+989351234567", "+989198765432", "+982144556677"], saved.NormalizedNumbers);
        Assert.Equal(rezaId, (await fixture.App.LookupAsync(Client, "09198765432"))!.Customer!.Id);
        Assert.Equal(rezaId, (await fixture.App.LookupAsync(Client, "02144556677"))!.Customer!.Id);

        await Client.PutAsJsonAsync($"/api/customers/{rezaId}/phone-numbers", new { phoneNumbers = new[] { "0935-123-4567" } });
        Assert.Null(await fixture.App.LookupAsync(Client, "09198765432"));
    }

    [Fact]
    public async Task Replacing_numbers_with_one_that_is_not_a_number_changes_nothing()
    {
        var response = await Client.PutAsJsonAsync("/api/customers/1/phone-numbers", new { phoneNumbers = new[] { "09123456789", "call me" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("PhoneNumbers[1]", problem!.Errors.Keys);
        Assert.Equal("خلیلی", (await fixture.App.LookupAsync(Client, "02112345678"))!.Customer!.Name);
    }

    [Fact]
    public async Task Replacing_numbers_of_a_customer_that_does_not_exist_is_a_404()
    {
        var response = await Client.PutAsJsonAsync("/api/customers/999999/phone-numbers", new { phoneNumbers = new[] { "09123456789" } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class CustomerLookupOnMySqlTests(MySqlGatewayFixture fixture) : CustomerLookupTests<MySqlGatewayFixture>(fixture);

public sealed class CustomerLookupOnSqliteTests(SqliteGatewayFixture fixture) : CustomerLookupTests<SqliteGatewayFixture>(fixture);
