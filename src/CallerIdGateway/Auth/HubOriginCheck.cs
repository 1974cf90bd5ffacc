using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// WebSockets are not covered by CORS: a page from any origin, another port of this host included,
/// may open the hub and the browser sends the agent's cookie along. Browsers always say where the page
/// came from (<c>Origin</c>), so hub requests from a page not of the dashboard's own origin or of
/// <c>Auth:CorsOrigins</c> are refused with 403. Clients that are not browsers send no Origin.
/// </summary>
internal static class HubOriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && http.Request.Path.StartsWithSegments("/hubs") && !IsAllowed(http, origin))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Origin not allowed", Detail = "The hub answers pages of the dashboard and of Auth:CorsOrigins only." },
            });
            return;
        }
        await next(http);
    });

    private static bool IsAllowed(HttpContext http, string origin)
    {
        var own = $"{http.Request.Scheme}://{http.Request.Host}";
        return SameOrigin(origin, own)
            || http.RequestServices.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.CorsOrigins.Any(o => SameOrigin(origin, o));
    }

    private static bool SameOrigin(string origin, string allowed) =>
        string.Equals(origin.TrimEnd('/'), allowed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
