using System.Globalization;
using CallerIdGateway.Dashboard;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Customers;

/// <summary>Fills the invoicing app's URL templates of section <c>Dashboard</c>.</summary>
public sealed class CustomerLinks(IOptions<DashboardOptions> options)
{
    public string? Profile(long customerId) =>
        Fill(options.Value.CustomerProfileUrlTemplate, "{id}", customerId.ToString(CultureInfo.InvariantCulture));

    public string? NewCustomer(string normalizedNumber) =>
        Fill(options.Value.NewCustomerUrlTemplate, "{number}", Uri.EscapeDataString(normalizedNumber));

    private static string? Fill(string? template, string placeholder, string value) =>
        string.IsNullOrWhiteSpace(template) ? null : template.Replace(placeholder, value, StringComparison.Ordinal);
}
