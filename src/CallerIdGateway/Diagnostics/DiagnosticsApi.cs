using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// The dashboard's diagnostics page, for supervisors (agents who see every extension): the
/// <c>doctor</c>'s checks run live, the last call changes per monitored extension, and the doctor's
/// explanation of a number. The lines are the doctor's: no password, secret or key is in them.
/// </summary>
public static class DiagnosticsApi
{
    public const int MaxNumberLength = 64;

    public static IHostApplicationBuilder AddDiagnostics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ExtensionActivity>();
        builder.Services.AddSingleton<ICallNotifier>(sp => sp.GetRequiredService<ExtensionActivity>());
        builder.Services.AddSingleton<LiveChecks>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDiagnostics(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/diagnostics").WithTags("Diagnostics")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.SeesAll()));
        group.MapGet("/checks", ChecksAsync)
            .WithSummary("Runs the doctor's checks now (database, number index, ARI, AMI, extensions, dialplan hooks, browser phone); supervisors only.");
        group.MapGet("/extensions", Extensions)
            .WithSummary("The last call changes the gateway pushed per monitored extension, and when each Asterisk source last sent an event; supervisors only.");
        group.MapGet("/number", NumberAsync)
            .WithSummary("How a number is normalized, which index entry matches and which customer the gateway shows, or why nobody; supervisors only.");
        return app;
    }

    public sealed record Line(string Outcome, string Subject, string Finding, string? Fix);

    public sealed record ChecksResult(DateTimeOffset CheckedAt, bool Failed, IReadOnlyList<Line> Lines);

    public sealed record NumberResult(string Number, bool Failed, IReadOnlyList<Line> Lines);

    public sealed record SourceActivity(string Source, bool Enabled, string State, DateTimeOffset? LastEventAt);

    public sealed record ExtensionResult(string Extension, IReadOnlyList<ExtensionEvent> Events);

    public sealed record ActivityResult(IReadOnlyList<SourceActivity> Sources, IReadOnlyList<ExtensionResult> Extensions);

    internal static async Task<Ok<ChecksResult>> ChecksAsync(LiveChecks checks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await checks.RunAsync(cancellationToken));

    internal static Ok<ActivityResult> Extensions(ExtensionActivity activity, AriCallSource ari, AmiCallSource ami)
    {
        var sources = new[]
        {
            new SourceActivity("ari", ari.Enabled, ari.Connection is { } s ? SourceHealthCheck.StateName(s.State, s.LastError) : ari.Enabled ? "starting" : "off", ari.Connection?.LastEventAt),
            new SourceActivity("ami", ami.Enabled, ami.Connection is { } c ? SourceHealthCheck.StateName(c.State, c.LastError) : ami.Enabled ? "starting" : "off", ami.Connection?.LastEventAt),
        };
        return TypedResults.Ok(new ActivityResult(sources, [.. activity.Snapshot().Select(e => new ExtensionResult(e.Extension, e.Events))]));
    }

    internal static async Task<Results<Ok<NumberResult>, ProblemHttpResult>> NumberAsync(string? number, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Length > MaxNumberLength)
        {
            return TypedResults.Problem(title: "A number is needed",
                detail: $"Give the number to explain as ?number= (at most {MaxNumberLength} characters), e.g. ?number=09123456789.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        var report = new DoctorReport(TextWriter.Null);
        await DoctorCommand.ExplainNumberAsync(services, report, number.Trim(), cancellationToken);
        return TypedResults.Ok(new NumberResult(number.Trim(), report.Failed, Lines(report)));
    }

    internal static IReadOnlyList<Line> Lines(DoctorReport report) =>
        [.. report.Lines.Select(l => new Line(l.Outcome.ToString().ToLowerInvariant(), l.Subject, l.Finding, l.Fix))];
}

/// <summary>Runs the checks for the page; a second request while a run is under way gets that run's answer.</summary>
public sealed class LiveChecks(IServiceProvider services, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<DiagnosticsApi.ChecksResult>? _running;

    public Task<DiagnosticsApi.ChecksResult> RunAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_running is null || _running.IsCompleted)
            {
                // Not the request's token: a supervisor who closes the page does not cut a run others wait for.
                _running = RunOnceAsync();
            }
            return _running.WaitAsync(cancellationToken);
        }
    }

    private async Task<DiagnosticsApi.ChecksResult> RunOnceAsync()
    {
        var report = new DoctorReport(TextWriter.Null);
        await DoctorCommand.CheckAsync(services, report, number: null, CancellationToken.None);
        return new DiagnosticsApi.ChecksResult(time.GetUtcNow(), report.Failed, DiagnosticsApi.Lines(report));
    }
}
