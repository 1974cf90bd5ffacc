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
        builder.Services.AddHealthChecks()
            .AddCheck<AriHealthCheck>("ari", tags: ["ready"])
            .AddCheck<AmiHealthCheck>("ami", tags: ["ready"]);
        return builder;
    }
}
