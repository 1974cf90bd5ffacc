using CallerIdGateway.CallControl;
using CallerIdGateway.Calls;
using Microsoft.AspNetCore.Http.HttpResults;
using CallerIdGateway.Auth;
using CallerIdGateway.Phone;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dashboard;

/// <summary>The agents' dashboard: static files from wwwroot at <c>/</c>, and the settings it reads after sign-in.</summary>
public static class DashboardExtensions
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = context => SetHeaders(context.Context) });

        app.MapGet("/api/dashboard/settings", Settings)
            .WithTags("Dashboard")
            .RequireAuthorization()
            .WithSummary("What the dashboard needs to know beyond the call payload: default language, length of the recent list, whether call control (click-to-call through the PBX) is on.");
        return app;
    }

    public sealed record DashboardSettings(string DefaultLanguage, int RecentCalls, bool CallControl);

    internal static Ok<DashboardSettings> Settings(IOptionsMonitor<DashboardOptions> options, IOptions<CallControlOptions> callControl)
    {
        var dashboard = options.CurrentValue;
        var language = string.Equals(dashboard.DefaultLanguage, "en", StringComparison.OrdinalIgnoreCase) ? "en" : "fa";
        return TypedResults.Ok(new DashboardSettings(language, Math.Clamp(dashboard.RecentCalls, 1, CallsApi.MaxRecent), callControl.Value.Enabled));
    }

    // The files are not fingerprinted, so browsers revalidate every one (a 304 on a LAN costs
    // nothing) and an upgraded gateway never runs yesterday's script against today's page.
    private static void SetHeaders(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'{PhoneSources(context)}; " +
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
        }
    }

    /// <summary>The browser phone's WebSocket addresses (Phone:WebSocketUrl and the agents' own), which the page may connect to.</summary>
    private static string PhoneSources(HttpContext context)
    {
        var phone = context.RequestServices.GetRequiredService<IOptionsMonitor<PhoneOptions>>().CurrentValue;
        var users = context.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.Users;
        var sources = users.Select(u => u.Phone?.WebSocketUrl).Append(phone.WebSocketUrl)
            .Where(url => url is not null && PhoneExtensions.IsWebSocketUrl(url))
            .Select(url => new Uri(url!).GetLeftPart(UriPartial.Authority))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);
        return string.Concat(sources.Select(source => " " + source));
    }
}
