using System.Security.Claims;
using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using CallerIdGateway.Dialplan;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.CallControl;

/// <summary>
/// Click-to-call, hang-up and blind transfer for agents on desk phones, through the PBX. Every
/// request is checked in this order: call control on (409), a valid body (400), an extension the
/// caller may see (403), a live call on that extension (404), a call in the right state (409);
/// then it is logged with who asked.
/// </summary>
public static partial class CallControlApi
{
    public static IEndpointRouteBuilder MapCallControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calls").WithTags("Call control").RequireAuthorization();
        group.MapPost("/originate", OriginateAsync)
            .WithName("OriginateCall")
            .WithSummary("Click-to-call: the extension's phone rings with the customer as caller ID; once answered, the PBX dials the number.");
        group.MapPost("/{callId}/hangup", HangupAsync)
            .WithName("HangupCall")
            .WithSummary("Hangs up (or declines, while it rings) the extension's leg of the call.");
        group.MapPost("/{callId}/transfer", TransferAsync)
            .WithName("TransferCall")
            .WithSummary("Blind transfer of the call answered on the extension to another extension (AMI only).");
        return app;
    }

    internal static async Task<Results<Accepted<CallControlAccepted>, ValidationProblem, ProblemHttpResult>> OriginateAsync(
        OriginateRequest request,
        ClaimsPrincipal user,
        IValidator<OriginateRequest> validator,
        IOptions<CallControlOptions> options,
        IServiceProvider services,
        CallerResolver resolver,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Off(settings) is { } off)
        {
            return off;
        }
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "Invalid click-to-call request");
        }
        var extension = request.Extension!;
        if (!user.MaySee(extension))
        {
            return Forbidden(user, extension);
        }
        DialString.TryClean(request.Number, out var number);

        // The customer's name on the agent's phone, as if the customer were calling: the agent sees whom the phone will dial.
        var lookup = await resolver.ResolveAsync(number, cancellationToken);
        var name = CallerNameText.For(lookup, settings.CallerIdScript, maxLength: 0);
        var callerId = name.Length > 0 ? $"\"{name}\" <{number}>" : $"<{number}>";
        var endpoint = settings.EndpointOf(extension);

        var logger = Logger(loggers);
        try
        {
            var callId = await Control(services, settings).OriginateAsync(endpoint, number, settings.Context, callerId, settings.RingTimeout, cancellationToken);
            LogOriginated(logger, Actor(user), endpoint, number, settings.Context, callId, settings.Source);
            return TypedResults.Accepted((string?)null, new CallControlAccepted(callId, extension));
        }
        catch (CallControlException e)
        {
            LogFailed(logger, Actor(user), "originate", extension, number, e.Message);
            return Problem(e);
        }
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> HangupAsync(
        string callId,
        HangupRequest request,
        ClaimsPrincipal user,
        IValidator<HangupRequest> validator,
        IOptions<CallControlOptions> options,
        IServiceProvider services,
        CallTrackerService tracker,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Off(settings) is { } off)
        {
            return off;
        }
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "Invalid hang-up request");
        }
        var extension = request.Extension!;
        if (!user.MaySee(extension))
        {
            return Forbidden(user, extension);
        }
        if (tracker.FindLeg(callId, extension) is not { } leg)
        {
            return NoCall(callId, extension);
        }

        var logger = Logger(loggers);
        try
        {
            if (!await Control(services, settings).HangupAsync(leg, cancellationToken))
            {
                return NoCall(callId, extension);
            }
            LogHungUp(logger, Actor(user), callId, extension, leg.Channel ?? leg.LegId, leg.Call.State, settings.Source);
            return TypedResults.NoContent();
        }
        catch (CallControlException e)
        {
            LogFailed(logger, Actor(user), "hang up", extension, callId, e.Message);
            return Problem(e);
        }
    }

    internal static async Task<Results<Accepted<CallControlAccepted>, ValidationProblem, ProblemHttpResult>> TransferAsync(
        string callId,
        TransferRequest request,
        ClaimsPrincipal user,
        IValidator<TransferRequest> validator,
        IOptions<CallControlOptions> options,
        IServiceProvider services,
        CallTrackerService tracker,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Off(settings) is { } off)
        {
            return off;
        }
        var control = Control(services, settings);
        if (control.TransferUnsupportedReason is { } unsupported)
        {
            return TypedResults.Problem(title: "This call-control source cannot transfer", detail: unsupported, statusCode: StatusCodes.Status409Conflict);
        }
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "Invalid transfer request");
        }
        var extension = request.Extension!;
        if (!user.MaySee(extension))
        {
            return Forbidden(user, extension);
        }
        if (tracker.FindLeg(callId, extension) is not { } leg)
        {
            return NoCall(callId, extension);
        }
        if (leg.Call.State != CallState.Answered)
        {
            return TypedResults.Problem(
                title: "Only an answered call can be transferred",
                detail: $"Call {callId} is {ContractJson.Name(leg.Call.State)} on {extension}: answer it first (or hang up to decline it).",
                statusCode: StatusCodes.Status409Conflict);
        }

        var logger = Logger(loggers);
        try
        {
            await control.TransferAsync(leg, request.To!, settings.Context, cancellationToken);
            LogTransferred(logger, Actor(user), callId, extension, leg.Channel ?? leg.LegId, request.To!, settings.Context, settings.Source);
            return TypedResults.Accepted((string?)null, new CallControlAccepted(callId, extension));
        }
        catch (CallControlException e)
        {
            LogFailed(logger, Actor(user), "transfer", extension, callId, e.Message);
            return Problem(e);
        }
    }

    private static ProblemHttpResult? Off(CallControlOptions settings) => settings.Enabled
        ? null
        : TypedResults.Problem(
            title: "Call control is off",
            detail: "This gateway does not act on calls. An administrator turns it on with CallControl:Enabled and a PBX user of its own (docs/asterisk-setup.md).",
            statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult Forbidden(ClaimsPrincipal user, string extension) => TypedResults.Problem(
        title: "Not your extension",
        detail: $"{Actor(user)} may not act on the calls of extension {extension}.",
        statusCode: StatusCodes.Status403Forbidden);

    private static ProblemHttpResult NoCall(string callId, string extension) => TypedResults.Problem(
        title: "No such call on this extension",
        detail: $"Call {callId} is not ringing or answered on extension {extension} (unknown, ended, or never on this extension).",
        statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Problem(CallControlException e) => TypedResults.Problem(title: e.Title, detail: e.Message, statusCode: e.StatusCode);

    private static ICallControl Control(IServiceProvider services, CallControlOptions settings) => settings.Source switch
    {
        CallControlSource.Ari => services.GetRequiredService<AriCallControl>(),
        _ => services.GetRequiredService<AmiCallControl>(),
    };

    // The user or API key name, never the key itself.
    private static string Actor(ClaimsPrincipal user) => $"{user.Identity?.Name ?? "?"} ({user.Identity?.AuthenticationType ?? "?"})";

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(CallControlApi).FullName!);

    [LoggerMessage(LogLevel.Information, "Call control: {Actor} originated {Endpoint} → {Number} in {Context}: call {CallId} (via {Source})")]
    private static partial void LogOriginated(ILogger logger, string actor, string endpoint, string number, string context, string callId, CallControlSource source);

    [LoggerMessage(LogLevel.Information, "Call control: {Actor} hung up call {CallId} on {Extension} ({Channel}, {State}) (via {Source})")]
    private static partial void LogHungUp(ILogger logger, string actor, string callId, string extension, string channel, CallState state, CallControlSource source);

    [LoggerMessage(LogLevel.Information, "Call control: {Actor} transferred call {CallId} from {Extension} ({Channel}) to {To}@{Context} (via {Source})")]
    private static partial void LogTransferred(ILogger logger, string actor, string callId, string extension, string channel, string to, string context, CallControlSource source);

    [LoggerMessage(LogLevel.Warning, "Call control: {Actor} asked to {Action} on {Extension} ({Subject}); refused: {Reason}")]
    private static partial void LogFailed(ILogger logger, string actor, string action, string extension, string subject, string reason);
}
