using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CallerIdGateway.Hosting;

/// <summary>
/// A request the endpoint cannot read (invalid JSON, a wrong shape, no body, <c>?limit=abc</c>, a body
/// over the size limit) answers its 4xx as ProblemDetails saying what is wrong, in every environment:
/// not a 500 with a stack trace (Development) nor a bare 400 (elsewhere). Binding failures throw
/// (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>) so that they all arrive here.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }
        var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}"
            // What minimal APIs say of an empty body is meant for the developer ("did you mean a service?"), not the client.
            : bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) ? "The request has no body: send the JSON document this endpoint reads."
            : bad.Message;
        LogBadRequest(logger, bad.StatusCode, httpContext.Request.Method, httpContext.Request.Path, detail);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Detail = detail,
            },
        });
    }

    [LoggerMessage(LogLevel.Information, "{Status} for {Method} {Path}: {Detail}")]
    private static partial void LogBadRequest(ILogger logger, int status, string method, PathString path, string detail);
}
