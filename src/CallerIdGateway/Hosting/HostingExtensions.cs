using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using Serilog;

namespace CallerIdGateway.Hosting;

/// <summary>What every endpoint shares: logging, JSON, errors as ProblemDetails, OpenAPI, health.</summary>
public static class HostingExtensions
{
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        var startupLogs = new StartupFailure.LogFilter(StartupFailure.DetailsWanted(builder.Configuration));
        builder.Services.AddSingleton(startupLogs);
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Filter.ByExcluding(startupLogs.IsReported), // Program.cs says it in one line
            preserveStaticLogger: true); // several hosts share a process in tests; none may dispose another's logger
        builder.Services.AddHostedService<SignInWarning>();
        builder.AddGatewayMetrics();

        builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(OpenApiDescription.Configure);
        builder.Services.AddOptions<OpenApiOptions>().BindConfiguration(OpenApiOptions.Section);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddHealthChecks().AddCheck<PhoneIndexHealthCheck>("phoneIndex", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        var startupLogs = app.Services.GetRequiredService<StartupFailure.LogFilter>();
        app.Lifetime.ApplicationStarted.Register(() => startupLogs.Started = true);
        app.UseGatewayMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        return app;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        var ui = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenApiOptions>>().Value.UiEnabled;
        if (ui || app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.MapScalarApiReference(); // /scalar: a browsable reference of /openapi/v1.json
        }
        // Liveness: the process answers. Readiness: the database answers (and, later, the Asterisk sources).
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });
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
