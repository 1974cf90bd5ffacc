using CallerIdGateway.Calls;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dashboard;

/// <summary>The agents' dashboard: static files from wwwroot at <c>/</c>, and the settings it reads after sign-in.</summary>
public static class DashboardExtensions
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = context => SetHeaders(context.Context.Response) });

        app.MapGet("/api/dashboard/settings", Settings)
            .WithTags("Dashboard")
            .RequireAuthorization()
            .WithSummary("What the dashboard needs to know beyond the call payload: default language, length of the recent list.");
        return app;
    }

    public sealed record DashboardSettings(string DefaultLanguage, int RecentCalls);

    internal static Ok<DashboardSettings> Settings(IOptionsMonitor<DashboardOptions> options)
    {
        var dashboard = options.CurrentValue;
        var language = string.Equals(dashboard.DefaultLanguage, "en", StringComparison.OrdinalIgnoreCase) ? "en" : "fa";
        return TypedResults.Ok(new DashboardSettings(language, Math.Clamp(dashboard.RecentCalls, 1, CallsApi.MaxRecent)));
    }

    // The files are not fingerprinted, so browsers revalidate every one (a 304 on a LAN costs
    // nothing) and an upgraded gateway never runs yesterday's script against today's page.
    private static void SetHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
        }
    }
}
