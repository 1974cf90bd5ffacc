using CallerIdGateway.Dialplan.FastAgi;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan;

public static class DialplanExtensions
{
    /// <summary>
    /// The dialplan hooks (section <c>Dialplan</c>): caller name for <c>CURL()</c>, call reports from
    /// PBXs without reachable ARI/AMI, and the optional FastAGI server. Endpoints: <see cref="DialplanApi.MapDialplan"/>.
    /// </summary>
    public static IHostApplicationBuilder AddDialplan(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DialplanOptions>()
            .BindConfiguration(DialplanOptions.Section)
            // A bound array replaces nothing it starts with, so the default is applied after binding.
            .PostConfigure(o => o.AllowedAddresses = o.AllowedAddresses is { Length: > 0 } ? o.AllowedAddresses : DialplanOptions.LoopbackOnly)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<FastAgiOptions>()
            .BindConfiguration(FastAgiOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DialplanOptions>, DialplanOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<FastAgiOptions>, DialplanOptionsValidator>();

        builder.Services.AddSingleton<DialplanAccess>();
        builder.Services.AddSingleton<CallerNameLookup>();
        builder.Services.AddSingleton<FastAgiServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FastAgiServer>());
        return builder;
    }
}
