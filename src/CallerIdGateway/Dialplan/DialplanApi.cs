using System.Text;
using CallerIdGateway.Calls;
using CallerIdGateway.Hosting;
using CallerIdGateway.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan;

/// <summary>
/// The hooks an Asterisk dialplan calls with <c>CURL()</c>: <c>GET /api/dialplan/caller-name</c>
/// and <c>GET|POST /api/dialplan/calls/{ringing|answered|ended|hangup}</c>. See docs/dialplan-hooks.md.
/// </summary>
public static partial class DialplanApi
{
    public const string BasePath = "/api/dialplan";
    public const string CallerNamePath = BasePath + "/caller-name";
    public const string CallsPath = BasePath + "/calls";

    /// <summary>A call report is a few hundred bytes of form; more is not a dialplan (413).</summary>
    public const long MaxBodyBytes = 16 * 1024;

    /// <summary>The route of one call event: <c>/api/dialplan/calls/ringing</c>.</summary>
    public static string CallPath(CallHookEvent kind) => $"{CallsPath}/{kind.ToString().ToLowerInvariant()}";

    public static IEndpointRouteBuilder MapDialplan(this IEndpointRouteBuilder app)
    {
        // Not the agents' cookie or API keys: the hooks have their own guard (address allow-list and secret).
        var group = app.MapGroup(BasePath)
            .WithTags("Dialplan")
            .AllowAnonymous()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .RequireRateLimiting(RateLimits.DialplanPolicy)
            .AddEndpointFilter<DialplanAccessFilter>();

        group.MapGet(CallerNamePath[BasePath.Length..], CallerNameAsync)
            .WithName("DialplanCallerName")
            .WithSummary("The caller's customer name as text/plain for Set(CALLERID(name)=${CURL(...)}); empty when unknown, withheld or slow.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");

        foreach (var kind in Enum.GetValues<CallHookEvent>())
        {
            group.MapMethods(CallPath(kind)[BasePath.Length..], [HttpMethods.Get, HttpMethods.Post],
                    (HttpRequest request, MonitoredExtensions monitored, CallTrackerService tracker, TimeProvider time, Scaling.CallHookRelay relay, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                        ReportAsync(kind, request, monitored, tracker, time, loggers.CreateLogger(typeof(DialplanApi)), cancellationToken, relay))
                .WithName($"DialplanCall{kind}")
                .WithSummary($"Reports that a call leg is {kind.ToString().ToLowerInvariant()} (for PBXs whose ARI and AMI the gateway cannot reach).");
        }
        return app;
    }

    internal static async Task<ContentHttpResult> CallerNameAsync(
        HttpRequest request, CallerNameLookup lookup, IOptions<DialplanOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var number = DialplanParameters.Number(request.Query["number"]);
        var script = DialplanParameters.Script(request.Query["script"]) ?? settings.CallerNameScript;
        var maxLength = DialplanParameters.MaxLength(request.Query["maxLength"]) ?? settings.CallerNameMaxLength;
        string name;
        try
        {
            name = CallerNameText.For(await lookup.ResolveAsync(number, cancellationToken), script, maxLength);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the dialplan gets an empty name and carries on ringing.
            LogCallerNameFailed(loggers.CreateLogger(typeof(DialplanApi)), number ?? "", e);
            name = "";
        }
        return TypedResults.Text(name, "text/plain", Encoding.UTF8);
    }

    internal static async Task<Results<Accepted, ValidationProblem>> ReportAsync(
        CallHookEvent kind, HttpRequest request, MonitoredExtensions monitored, CallTrackerService tracker, TimeProvider time, ILogger logger, CancellationToken cancellationToken,
        Scaling.CallHookRelay? relay = null)
    {
        var report = await CallHookReport.ReadAsync(request, cancellationToken);
        var at = time.GetUtcNow();
        var (facts, errors) = CallHookFacts.Create(kind, report, monitored, at);
        if (errors is not null)
        {
            LogReportRejected(logger, kind, string.Join("; ", errors.SelectMany(e => e.Value)));
            return TypedResults.ValidationProblem(errors, title: "The call report cannot be used");
        }
        foreach (var fact in facts)
        {
            tracker.Post(fact);
        }
        relay?.Publish(kind, report, at); // dashboards on the other instances (docs/scaling.md)
        LogReported(logger, kind, report.Call ?? "", report.Leg ?? "");
        return TypedResults.Accepted((string?)null);
    }

    [LoggerMessage(LogLevel.Warning, "Caller name for {Number} failed; answered empty")]
    private static partial void LogCallerNameFailed(ILogger logger, string number, Exception exception);

    [LoggerMessage(LogLevel.Debug, "Dialplan reported {Event} for call {CallId} leg {LegId}")]
    private static partial void LogReported(ILogger logger, CallHookEvent @event, string callId, string legId);

    [LoggerMessage(LogLevel.Warning, "Dialplan {Event} report rejected: {Errors}")]
    private static partial void LogReportRejected(ILogger logger, CallHookEvent @event, string errors);
}
