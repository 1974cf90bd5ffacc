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
    /// <summary>Section <c>Dashboard</c>, checked at start (its links are also the payload's, <see cref="Customers.CustomerLinks"/>).</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsLinkTemplate(o.CustomerProfileUrlTemplate) && IsLinkTemplate(o.NewCustomerUrlTemplate),
                "Dashboard:CustomerProfileUrlTemplate and Dashboard:NewCustomerUrlTemplate must be absolute http(s) addresses, e.g. https://invoice.example/customers/{id}.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>Empty (no link), or an absolute http(s) address once its placeholder is filled.</summary>
    private static bool IsLinkTemplate(string? template) =>
        string.IsNullOrWhiteSpace(template)
        || Uri.TryCreate(template.Replace("{id}", "1", StringComparison.Ordinal).Replace("{number}", "1", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https";

    /// <summary>The page and its scripts, before the endpoints (after authentication, which they do not need).</summary>
    public static WebApplication UseDashboard(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = context => SetHeaders(context.Context) });
        return app;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
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
