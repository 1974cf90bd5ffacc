using System.Text.RegularExpressions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallerIdGateway.Sources;

public static partial class SourcesExtensions
{
    /// <summary>The Asterisk event sources (ARI, AMI), each on when its <c>Enabled</c> is true; both may run together.</summary>
    public static IHostApplicationBuilder AddAsteriskSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AriSourceOptions>()
            .BindConfiguration(AriSourceOptions.Section)
            .Validate(o => o.BaseUrl is not null, "Asterisk:Ari:BaseUrl is required.")
            .Validate(o => o.Application is not null && ApplicationName().IsMatch(o.Application), "Asterisk:Ari:Application must be letters, digits, - _ or .")
            .Validate(o => !o.Enabled || (o.Username.Length > 0 && o.Password.Length > 0),
                "Asterisk:Ari:Username and Asterisk:Ari:Password are required when Asterisk:Ari:Enabled is true.")
            .Validate(o => o.BaseUrl?.Scheme is "http" or "https", "Asterisk:Ari:BaseUrl must be an http(s) URL such as http://127.0.0.1:8088/ari.")
            .ValidateOnStart();
        builder.Services.AddOptions<AmiSourceOptions>()
            .BindConfiguration(AmiSourceOptions.Section)
            .Validate(o => !string.IsNullOrEmpty(o.Host), "Asterisk:Ami:Host is required.")
            .Validate(o => o.Port is >= 1 and <= 65535, "Asterisk:Ami:Port must be between 1 and 65535.")
            .Validate(o => !o.Enabled || (o.Username.Length > 0 && o.Secret.Length > 0),
                "Asterisk:Ami:Username and Asterisk:Ami:Secret are required when Asterisk:Ami:Enabled is true.")
            .ValidateOnStart();

        builder.Services.AddHttpClient(nameof(AriCallSource));
        builder.Services.AddSingleton<AriCallSource>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AriCallSource>());
        builder.Services.AddSingleton<AmiCallSource>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AmiCallSource>());
        builder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("ari", sp => SourceHealthCheck.Of(sp.GetRequiredService<AriCallSource>(), "ARI", AriSourceOptions.Section), null, ["ready"]))
            .Add(new HealthCheckRegistration("ami", sp => SourceHealthCheck.Of(sp.GetRequiredService<AmiCallSource>(), "AMI", AmiSourceOptions.Section), null, ["ready"]));
        return builder;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex ApplicationName();
}
