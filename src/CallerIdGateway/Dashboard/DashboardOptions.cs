using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.Dashboard;

/// <summary>Settings of section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Link to a customer in the invoicing app, e.g. <c>https://invoice.example/customers/{id}</c>; empty = no link.</summary>
    public string? CustomerProfileUrlTemplate { get; set; }

    /// <summary>Link to create a customer with the caller's number, e.g. <c>https://invoice.example/customers/new?phone={number}</c>.</summary>
    public string? NewCustomerUrlTemplate { get; set; }

    /// <summary>The dashboard's language until an agent picks one in the browser: <c>fa</c> (right to left) or <c>en</c>.</summary>
    public string DefaultLanguage { get; set; } = "fa";

    /// <summary>How many calls the dashboard's recent list shows (1 to 500).</summary>
    [Range(1, Calls.CallsApi.MaxRecent)]
    public int RecentCalls { get; set; } = 50;
}
