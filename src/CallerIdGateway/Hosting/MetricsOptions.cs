namespace CallerIdGateway.Hosting;

/// <summary>Settings of section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>CIDR list (or single addresses) allowed to scrape <c>/metrics</c>; others get 404. Default: this host.</summary>
    public string[] AllowedAddresses { get; set; } = [];
}
