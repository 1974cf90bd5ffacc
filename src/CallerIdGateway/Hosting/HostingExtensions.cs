using System.Net;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Serilog;

namespace CallerIdGateway.Hosting;

/// <summary>What every endpoint shares: logging, JSON, errors as ProblemDetails, OpenAPI, health.</summary>
public static class HostingExtensions
{
    /// <summary>The largest request body any endpoint reads (Kestrel's own default is 30 MB).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        var startupLogs = new StartupFailure.LogFilter(StartupFailure.DetailsWanted(builder.Configuration));
        builder.Services.AddSingleton(startupLogs);
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With<ControlCharacterEscaper>()
            .Filter.ByExcluding(startupLogs.IsReported), // Program.cs says it in one line
            preserveStaticLogger: true); // several hosts share a process in tests; none may dispose another's logger
        builder.Services.AddHostedService<SignInWarning>();
        builder.AddGatewayMetrics();

        builder.Services.ConfigureHttpJsonOptions(o => ContractJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        // Unreadable input throws in every environment, so BadRequestExceptionHandler can say what is wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // No endpoint takes more than a list of phone numbers; endpoints may set less (the dialplan hooks do).
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddRequestRateLimits();
        builder.Services.AddOpenApi(OpenApiDescription.Configure);
        builder.Services.AddOptions<OpenApiOptions>().BindConfiguration(OpenApiOptions.Section);
        builder.Services.AddSingleton<DatabaseHealthCheck>(); // one instance: it shares a probe that hangs on a frozen server
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddHealthChecks().AddCheck<PhoneIndexHealthCheck>("phoneIndex", tags: ["ready"]);

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
        var startupLogs = app.Services.GetRequiredService<StartupFailure.LogFilter>();
        app.Lifetime.ApplicationStarted.Register(() => startupLogs.Started = true);
        app.UseGatewayMetrics();
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

/// <summary>
/// Readiness of the database, answered within <see cref="Timeout"/> even when the server is frozen
/// (the driver's own timeouts are 15 s and more). One probe at a time: while one hangs on a stalled
/// server, later checks wait on it instead of piling up more.
/// </summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, PhoneIndex index, CallerResolver resolver, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    private readonly Lock _lock = new();
    private Task<bool>? _probe;
    private double _latencyMilliseconds;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["phoneIndexSynchronizedAt"] = index.LastSynchronizedAt?.ToString("O") ?? "never",
            ["lookupCircuit"] = resolver.IsDatabaseShunned ? "open" : "closed",
        };
        bool answers;
        try
        {
            answers = await CurrentProbe().WaitAsync(Timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The database is not answering (no answer within {Timeout.TotalMilliseconds:0} ms).", data: data);
        }
        data["latencyMs"] = Math.Round(Volatile.Read(ref _latencyMilliseconds), 1); // the last probe's round trip
        return answers
            ? HealthCheckResult.Healthy("The database answers.", data)
            : HealthCheckResult.Unhealthy("The database does not answer.", data: data);
    }

    private Task<bool> CurrentProbe()
    {
        lock (_lock)
        {
            if (_probe is not { IsCompleted: false })
            {
                _probe = Task.Run(ProbeAsync, CancellationToken.None);
            }
            return _probe;
        }
    }

    private async Task<bool> ProbeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var started = time.GetTimestamp();
        var answers = await db.Database.CanConnectAsync(CancellationToken.None);
        Volatile.Write(ref _latencyMilliseconds, time.GetElapsedTime(started).TotalMilliseconds);
        return answers;
    }
}
