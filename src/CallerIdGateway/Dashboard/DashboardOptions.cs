namespace CallerIdGateway.Dashboard;

/// <summary>Settings of section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Link to a customer in the invoicing app, e.g. <c>https://invoice.example/customers/{id}</c>; empty = no link.</summary>
    public string? CustomerProfileUrlTemplate { get; set; }

    /// <summary>Link to create a customer with the caller's number, e.g. <c>https://invoice.example/customers/new?phone={number}</c>.</summary>
    public string? NewCustomerUrlTemplate { get; set; }
}
