using System.Net;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Serilog;

namespace CallerIdGateway.Hosting;

/// <summary>What every endpoint shares: logging, JSON, errors as ProblemDetails, OpenAPI, health.</summary>
public static class HostingExtensions
{
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext(),
            preserveStaticLogger: true); // several hosts share a process in tests; none may dispose another's logger

        builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        builder.Services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: not the framework's default of trusting loopback.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            // (A value that does not parse has stopped the start already, naming its key.)
            foreach (var proxy in settings.Value.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    o.KnownProxies.Add(address);
                }
            }
            foreach (var network in settings.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    o.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        // First, so that the cookie's Secure flag, the sign-in throttle and the dialplan hooks' address
        // check see the client behind a TLS proxy, not the proxy. Not at all without a configured proxy:
        // the middleware would then believe everyone. (Read unvalidated: a wrong value stops the start later, naming its key.)
        if (app.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() is { Any: true })
        {
            app.UseForwardedHeaders();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        return app;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // Liveness: the process answers. Readiness: the database answers (and, later, the Asterisk sources).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }
}

internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, PhoneIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var data = new Dictionary<string, object> { ["phoneIndexSynchronizedAt"] = index.LastSynchronizedAt?.ToString("O") ?? "never" };
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The database answers.", data)
            : HealthCheckResult.Unhealthy("The database does not answer.", data: data);
    }
}
