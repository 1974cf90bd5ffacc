using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Scaling;

public static class ScalingExtensions
{
    /// <summary>Several instances on one Redis (docs/scaling.md); without <c>Scaling:Redis:Configuration</c> only the health entry and no-op shares.</summary>
    public static IHostApplicationBuilder AddScaling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScalingOptions>().BindConfiguration(ScalingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScalingOptions>, ScalingOptionsValidator>();
        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        builder.Services.AddSingleton<IndexSyncLock>();
        builder.Services.AddSingleton<SharedCounters>();
        builder.Services.AddSingleton<CallHookRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallHookRelay>());
        builder.Services.AddHealthChecks().AddCheck<ScalingHealthCheck>("scaling", tags: ["ready"]);

        // Read unvalidated here: a wrong value stops the start (ValidateOnStart), naming its key.
        if (builder.Configuration.GetSection(ScalingOptions.Section).Get<ScalingOptions>() is { Enabled: true })
        {
            builder.Services.AddHostedService<SharedSessions>();
            // One application name, so that instances in different folders read each other's cookies.
            builder.Services.AddDataProtection().SetApplicationName("CallerIdGateway");
            builder.Services.AddSingleton<SharedKeyRepository>(sp => new SharedKeyRepository(
                new RedisXmlRepository(() => sp.GetRequiredService<RedisConnection>().Database,
                    sp.GetRequiredService<RedisConnection>().Key("data-protection-keys")),
                sp.GetRequiredService<RedisConnection>(),
                sp.GetRequiredService<ILogger<SharedKeyRepository>>()));
            builder.Services.AddOptions<KeyManagementOptions>().Configure<SharedKeyRepository>((o, keys) => o.XmlRepository = keys);
        }
        return builder;
    }
}
