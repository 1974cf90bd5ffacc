using CallerIdGateway.Calls;
using CallerIdGateway.Dialplan;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CallerIdGateway.Hosting;

/// <summary>OpenTelemetry metrics with a Prometheus scrape endpoint at <c>/metrics</c>, for the allowed addresses only.</summary>
public static class MetricsExtensions
{
    public static IHostApplicationBuilder AddGatewayMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .PostConfigure(o => o.AllowedAddresses = o.AllowedAddresses is { Length: > 0 } ? o.AllowedAddresses : DialplanOptions.LoopbackOnly)
            .Validate(o => o.AllowedAddresses.All(a => DialplanAccess.TryParseNetwork(a, out _)),
                "Metrics:AllowedAddresses must hold addresses or CIDR networks such as 10.0.0.5 or 192.168.1.0/24.")
            .ValidateOnStart();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ICallNotifier, MetricsCallNotifier>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            // Built into ASP.NET Core and .NET: requests, Kestrel connections, SignalR connections, GC/threads/CPU.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "System.Runtime", "System.Net.Http")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Answers <c>GET /metrics</c> before anything else, to allowed addresses; the rest fall through to 404.</summary>
    public static WebApplication UseGatewayMetrics(this WebApplication app)
    {
        var networks = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowedAddresses
            .Select(a => DialplanAccess.TryParseNetwork(a, out var network) ? network : default).ToArray();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics"
            && context.Connection.RemoteIpAddress is { } remote
            && networks.Any(n => n.Contains(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)));
        return app;
    }
}
