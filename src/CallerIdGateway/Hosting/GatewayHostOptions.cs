namespace CallerIdGateway.Hosting;

/// <summary>Where the gateway finds its own files.</summary>
public static class GatewayHostOptions
{
    /// <summary>
    /// The content root (appsettings.json, wwwroot) is the folder the gateway is installed in, whatever
    /// the working directory: systemd starts it in its state directory, where its data belongs (a relative
    /// SQLite file stays there). A content root given explicitly (<c>--contentRoot</c>,
    /// <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>; WebApplicationFactory passes one) wins.
    /// </summary>
    public static WebApplicationOptions For(string[] args) => new()
    {
        Args = args,
        ContentRootPath = ExplicitContentRoot(args) is null ? AppContext.BaseDirectory : null,
    };

    private static string? ExplicitContentRoot(string[] args) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
}
