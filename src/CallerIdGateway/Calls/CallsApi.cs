using System.Security.Claims;
using CallerIdGateway.Auth;
using CallerIdGateway.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallerIdGateway.Calls;

public static class CallsApi
{
    public const int MaxRecent = 500;

    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calls").WithTags("Calls").RequireAuthorization();
        group.MapGet("/active", Active).WithSummary("Calls ringing or answered now on the extensions you may see.");
        group.MapGet("/recent", RecentAsync).WithSummary("The newest calls of your extensions, missed calls included.");
        app.MapHub<CallsHub>(CallsHub.Path);
        return app;
    }

    internal static Ok<CustomerCallData[]> Active(ClaimsPrincipal user, LiveCalls live) =>
        TypedResults.Ok(live.Active.Where(d => user.MaySee(d.Call!.Extension)).ToArray());

    internal static async Task<Results<Ok<IReadOnlyList<CustomerCallData>>, ValidationProblem, ProblemHttpResult>> RecentAsync(
        ClaimsPrincipal user, CallLog log, CancellationToken cancellationToken, int limit = 50)
    {
        if (limit is < 1 or > MaxRecent)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxRecent}."] });
        }
        var extensions = user.SeesAll() ? null : user.Extensions();
        try
        {
            return TypedResults.Ok(await log.RecentAsync(extensions, limit, cancellationToken));
        }
        catch (CallLogUnavailableException)
        {
            // Changes meanwhile are kept and stored when the database is back (see CallLog).
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The call history is not available",
                detail: "The database did not answer. Calls are still shown as they ring, and their changes are stored when it is back.");
        }
    }
}
