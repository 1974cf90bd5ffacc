using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallerIdGateway.Sources;

public static class SourcesExtensions
{
    /// <summary>The Asterisk event sources (ARI, AMI), each on when its <c>Enabled</c> is true; both may run together.</summary>
    public static IHostApplicationBuilder AddAsteriskSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AriSourceOptions>()
            .BindConfiguration(AriSourceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || (o.Username.Length > 0 && o.Password.Length > 0),
                "Asterisk:Ari:Username and Asterisk:Ari:Password are required when Asterisk:Ari:Enabled is true.")
            .Validate(o => o.BaseUrl.Scheme is "http" or "https", "Asterisk:Ari:BaseUrl must be an http(s) URL such as http://127.0.0.1:8088/ari.")
            .ValidateOnStart();
        builder.Services.AddOptions<AmiSourceOptions>()
            .BindConfiguration(AmiSourceOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || (o.Username.Length > 0 && o.Secret.Length > 0),
                "Asterisk:Ami:Username and Asterisk:Ami:Secret are required when Asterisk:Ami:Enabled is true.")
            .ValidateOnStart();

        builder.Services.AddHttpClient(nameof(AriCallSource));
        builder.Services.AddSingleton<AriCallSource>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AriCallSource>());
        builder.Services.AddSingleton<AmiCallSource>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AmiCallSource>());
        builder.Services.AddHealthChecks().AddCheck<AsteriskHealthCheck>("asterisk", tags: ["ready"]);
        return builder;
    }
}

/// <summary>Healthy when every enabled source is connected; reports when each last heard from Asterisk.</summary>
internal sealed class AsteriskHealthCheck(AriCallSource ari, AmiCallSource ami) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var problems = new List<string>();
        void Report(string source, string? state, bool connected, DateTimeOffset? lastEventAt)
        {
            state ??= "Starting";
            data[source] = state;
            data[source + "LastEventAt"] = lastEventAt?.ToString("O") ?? "never";
            if (!connected)
            {
                problems.Add($"{source.ToUpperInvariant()} is {state}");
            }
        }
        if (ari.Enabled)
        {
            var stream = ari.Stream;
            Report("ari", stream?.State.ToString(), stream?.State == CallerIdGateway.Asterisk.Ari.AriConnectionState.Connected, stream?.LastEventAt);
        }
        if (ami.Enabled)
        {
            var connection = ami.Connection;
            Report("ami", connection?.State.ToString(), connection?.State == CallerIdGateway.Asterisk.Ami.AmiConnectionState.Connected, connection?.LastEventAt);
        }
        if (!ari.Enabled && !ami.Enabled)
        {
            data["sources"] = "none enabled";
        }
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("Asterisk sources connected.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data));
    }
}
