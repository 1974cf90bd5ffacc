using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>Changes the gateway's configuration while it runs, the way an edited appsettings.json reloads.</summary>
internal static class LiveConfiguration
{
    public static void Set(GatewayApp app, IDictionary<string, string?> values)
    {
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in values)
        {
            configuration[key] = value;
        }
        configuration.Reload();
    }
}
