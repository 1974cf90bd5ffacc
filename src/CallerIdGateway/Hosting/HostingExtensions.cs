using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;

namespace CallerIdGateway.Hosting;

/// <summary>What every endpoint shares: logging, JSON, errors as ProblemDetails, OpenAPI, health.</summary>
public static class HostingExtensions
{
    /// <summary>The largest request body any endpoint reads (Kestrel's own default is 30 MB).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With<ControlCharacterEscaper>(),
            preserveStaticLogger: true); // several hosts share a process in tests; none may dispose another's logger

        builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        // Unreadable input throws in every environment, so BadRequestExceptionHandler can say what is wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // No endpoint takes more than a list of phone numbers; endpoints may set less (the dialplan hooks do).
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddRequestRateLimits();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        // Before authentication: the policies partition by the offered key or the address, so a flood is
        // turned away before any key is checked or any endpoint filter runs.
        app.UseRateLimiter();
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
