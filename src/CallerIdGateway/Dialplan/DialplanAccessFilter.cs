using Microsoft.AspNetCore.Diagnostics;

namespace CallerIdGateway.Dialplan;

/// <summary>
/// Guards every dialplan hook: 404 when the hooks are off, 403 for a browser's request (ProblemDetails),
/// 403 from an address not allowed, 401 without the right secret. Those refusals have an empty body:
/// <c>CURL()</c> returns whatever body it gets, and a ProblemDetails document would otherwise end up on
/// the phone's display.
/// </summary>
internal sealed partial class DialplanAccessFilter(DialplanAccess access, ILogger<DialplanAccessFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!access.Enabled)
        {
            return Refuse(http, StatusCodes.Status404NotFound);
        }

        var remote = http.Connection.RemoteIpAddress;
        if (DialplanAccess.BrowserHeader(http.Request) is { } header)
        {
            LogBrowserRefused(logger, remote?.ToString() ?? "unknown", http.Request.Path, header);
            return TypedResults.Problem(
                title: "Browsers may not call the dialplan hooks",
                detail: $"The request carries {header}, which only browsers send; the hooks are for Asterisk's CURL() and scripts.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        if (!access.IsAllowed(remote))
        {
            LogAddressRefused(logger, remote?.ToString() ?? "unknown", http.Request.Path);
            return Refuse(http, StatusCodes.Status403Forbidden);
        }

        if (access.RequiresSecret && !access.IsSecret(await ReadSecretAsync(http.Request)))
        {
            LogSecretRefused(logger, remote!.ToString(), http.Request.Path);
            return Refuse(http, StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    /// <summary>Header first (curl, scripts), then the query (a <c>CURL()</c> GET), then the form (a <c>CURL()</c> POST).</summary>
    private static async Task<string?> ReadSecretAsync(HttpRequest request)
    {
        if (request.Headers.TryGetValue(DialplanAccess.SecretHeader, out var header) && !string.IsNullOrEmpty(header))
        {
            return header;
        }
        if (request.Query.TryGetValue(DialplanAccess.SecretField, out var query) && !string.IsNullOrEmpty(query))
        {
            return query;
        }
        return await DialplanParameters.FormAsync(request, request.HttpContext.RequestAborted) is { } form ? form[DialplanAccess.SecretField].ToString() : null;
    }

    private static IResult Refuse(HttpContext http, int status)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
        return TypedResults.StatusCode(status);
    }

    [LoggerMessage(LogLevel.Warning, "Dialplan hook {Path} refused: a browser's request from {Address} ({Header})")]
    private static partial void LogBrowserRefused(ILogger logger, string address, PathString path, string header);

    [LoggerMessage(LogLevel.Warning, "Dialplan hook {Path} refused: {Address} is not in Dialplan:AllowedAddresses")]
    private static partial void LogAddressRefused(ILogger logger, string address, PathString path);

    [LoggerMessage(LogLevel.Warning, "Dialplan hook {Path} refused: no or wrong secret from {Address} (Dialplan:Secret)")]
    private static partial void LogSecretRefused(ILogger logger, string address, PathString path);
}
