using System.Globalization;
using System.Text.RegularExpressions;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Dialplan;

/// <summary>What the dialplan reports about a call, one route each.</summary>
public enum CallHookEvent
{
    /// <summary>A leg toward the extension rings: from a <c>Dial()</c> pre-dial handler <c>b()</c> on the leg.</summary>
    Ringing,

    /// <summary>The leg was answered: from <c>Dial()</c>'s <c>U()</c> GoSub on the leg.</summary>
    Answered,

    /// <summary>The leg is gone: from a hangup handler on the leg.</summary>
    Ended,

    /// <summary>The caller hung up: from a hangup handler on the caller's channel; ends every leg of the call.</summary>
    Hangup,
}

/// <summary>
/// The parameters of a call report, as query fields (GET) or form fields (POST, what <c>CURL(url,data)</c> sends).
/// The ids are Asterisk's, so a report repeated — or also seen by ARI/AMI — is the same fact and changes nothing twice.
/// </summary>
public sealed record CallHookReport
{
    /// <summary><c>call=${LINKEDID}</c>: the caller's channel, shared by every leg of the call.</summary>
    public string? Call { get; init; }

    /// <summary><c>leg=${UNIQUEID}</c> on the leg toward the extension.</summary>
    public string? Leg { get; init; }

    /// <summary><c>channel=${CHANNEL(name)}</c> on the leg (<c>PJSIP/1008-0000002a</c>): the extension is read from it as ARI/AMI do.</summary>
    public string? Channel { get; init; }

    /// <summary><c>extension=1008</c>, when the leg's channel name does not tell it.</summary>
    public string? Extension { get; init; }

    /// <summary>The caller's number and name, as the caller's channel had them.</summary>
    public string? Number { get; init; }

    public string? Name { get; init; }

    /// <summary><c>status=${DIALSTATUS}</c> (ANSWER, BUSY, NOANSWER, CANCEL, CHANUNAVAIL, CONGESTION), when known.</summary>
    public string? Status { get; init; }

    /// <summary><c>cause=${HANGUPCAUSE}</c> of the leg (17 busy, 19 no answer, 26 answered elsewhere).</summary>
    public string? Cause { get; init; }

    /// <summary><c>retry=1</c>: the caller waits in a queue that may ring the extension again.</summary>
    public bool Retry { get; init; }

    /// <summary>
    /// <c>direction=outbound</c>: the leg is the extension's own phone dialling <see cref="Number"/> (from the outbound
    /// route); <c>internal</c>: <see cref="Number"/> is a colleague's phone; <c>inbound</c> (the default): a caller rings the leg.
    /// </summary>
    public string? Direction { get; init; }

    /// <summary>
    /// <c>customer=${MASTER_CHANNEL(CALLERID(num))}</c>: the call's own caller. When a colleague (<c>direction=internal</c>)
    /// rings on another caller's call, that is the consultation of an attended transfer and the card shows this customer.
    /// </summary>
    public string? Customer { get; init; }

    /// <summary><c>transfer=blind</c> or <c>attended</c>, with <see cref="TransferFrom"/>: the call reached the leg by a transfer.</summary>
    public string? Transfer { get; init; }

    /// <summary><c>transferfrom=${BLINDTRANSFER}</c> (the transferer's channel name) or the transferer's extension.</summary>
    public string? TransferFrom { get; init; }

    public const int MaxNameLength = 128;
    public const int MaxNumberLength = 64;

    /// <summary>Reads a report from the form (POST) or the query string; a form field wins over the same query field.</summary>
    public static async Task<CallHookReport> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await DialplanParameters.FormAsync(request, cancellationToken);
        string? Field(string name)
        {
            var value = form is not null && form.TryGetValue(name, out var posted) ? posted.ToString() : request.Query[name].ToString();
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
        return new CallHookReport
        {
            Call = Field("call")?.Trim(),
            Leg = Field("leg")?.Trim(),
            Channel = Field("channel")?.Trim(),
            Extension = Field("extension")?.Trim(),
            Number = DialplanParameters.Number(Field("number")),
            Name = Field("name")?.Trim(),
            Status = Field("status")?.Trim(),
            Cause = Field("cause")?.Trim(),
            Retry = Field("retry") is "1" or "yes" or "true",
            Direction = Field("direction")?.Trim().ToLowerInvariant(),
            Customer = DialplanParameters.Number(Field("customer")),
            Transfer = Field("transfer")?.Trim().ToLowerInvariant(),
            TransferFrom = Field("transferfrom")?.Trim(),
        };
    }
}

/// <summary>Turns a report into the protocol-neutral facts the tracker understands (pure: no I/O, no clock).</summary>
public static partial class CallHookFacts
{
    /// <summary>The facts of a report, or why it cannot be used (field → messages).</summary>
    public static (IReadOnlyList<CallFact> Facts, Dictionary<string, string[]>? Errors) Create(
        CallHookEvent kind, CallHookReport report, MonitoredExtensions monitored, DateTimeOffset at)
    {
        var errors = new Dictionary<string, string[]>();
        var needsCall = kind is CallHookEvent.Ringing or CallHookEvent.Hangup;
        var needsLeg = kind is not CallHookEvent.Hangup;
        Require("call", report.Call, needsCall, errors);
        Require("leg", report.Leg, needsLeg, errors);
        if (report.Direction is not (null or "inbound" or "outbound" or "internal"))
        {
            errors["direction"] = ["direction must be inbound, outbound or internal."];
        }
        if (report.Transfer is not (null or "blind" or "attended"))
        {
            errors["transfer"] = ["transfer must be blind or attended."];
        }

        var facts = new List<CallFact>(2);
        if (kind == CallHookEvent.Ringing || (kind == CallHookEvent.Answered && report.Call is not null && (report.Channel ?? report.Extension) is not null))
        {
            // An answer that carries the call's details also stands in for a ring report that got lost; a known leg is not rung twice.
            if (TryTarget(report, monitored, errors) is { } target && errors.Count == 0)
            {
                facts.AddRange(Ringing(report, target.Extension, target.Kind, at));
            }
        }
        if (errors.Count > 0)
        {
            return ([], errors);
        }

        switch (kind)
        {
            case CallHookEvent.Answered:
                facts.Add(new LegAnswered(at, report.Leg!));
                break;
            case CallHookEvent.Ended:
                facts.Add(new LegEnded(at, report.Leg!, Outcome(report.Status, report.Cause), report.Retry));
                break;
            case CallHookEvent.Hangup:
                facts.Add(new CallerHungUp(at, report.Call!));
                break;
        }
        return (facts, null);
    }

    /// <summary>The ringing leg, with who it talks to as far as the dialplan said, and the transfer that brought it, if any.</summary>
    private static IEnumerable<CallFact> Ringing(CallHookReport report, string extension, LegKind kind, DateTimeOffset at)
    {
        var number = Cut(report.Number, CallHookReport.MaxNumberLength);
        var name = Cut(report.Name, CallHookReport.MaxNameLength);
        var customer = report.Customer is { } c ? Cut(c, CallHookReport.MaxNumberLength) : number;
        if (report is { Transfer: { } transfer, TransferFrom: { } from }
            && (ChannelNames.TryGetExtension(from, out var transferer, out _) ? transferer.ToString() : from) is { Length: > 0 } fromExtension)
        {
            var transferKind = transfer == "attended" ? TransferKind.Attended : TransferKind.Blind;
            yield return new CallTransferred(at, report.Call!, transferKind, fromExtension, extension, customer, report.Customer is null ? name : "");
        }
        yield return report.Direction switch
        {
            "outbound" => new LegRinging(at, CallSource.Hook, report.Call!, report.Leg!, extension, kind, extension, "")
            {
                Outbound = true,
                Party = new Party(number, name, IsPhone: false),
            },
            "internal" => new LegRinging(at, CallSource.Hook, report.Call!, report.Leg!, extension, kind, customer, report.Customer is null ? name : "")
            {
                Party = new Party(number, name, IsPhone: true),
            },
            _ => new LegRinging(at, CallSource.Hook, report.Call!, report.Leg!, extension, kind, number, name),
        };
    }

    /// <summary>
    /// The same reading as ARI's and AMI's (<see cref="LegOutcomes.Of"/>: the Dial status decides,
    /// cause 26 always wins), with no channel state to go by; in its place, the no-answer causes
    /// 18 and 19 that a hangup handler reports when <c>${DIALSTATUS}</c> was not passed.
    /// </summary>
    public static LegOutcome Outcome(string? dialStatus, string? cause)
    {
        var hangupCause = int.TryParse(cause, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        var outcome = LegOutcomes.Of(hangupCause, dialStatus?.ToUpperInvariant() ?? "", wasUp: false);
        return outcome == LegOutcome.Unknown && hangupCause is 18 or 19 ? LegOutcome.NoAnswer : outcome;
    }

    private static (string Extension, LegKind Kind)? TryTarget(CallHookReport report, MonitoredExtensions monitored, Dictionary<string, string[]> errors)
    {
        if (report.Extension is { } extension)
        {
            if (monitored.Contains(extension))
            {
                var kind = report.Channel is not null && monitored.TryMatch(report.Channel, out _, out var channelKind) ? channelKind : LegKind.Device;
                return (monitored.All.First(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase)), kind);
            }
            errors["extension"] = [$"Extension '{extension}' is not in Gateway:MonitoredExtensions."];
            return null;
        }
        if (report.Channel is { } channel)
        {
            if (monitored.TryMatch(channel, out var matched, out var kind))
            {
                return (matched, kind);
            }
            errors["channel"] = [$"Channel '{channel}' is not a leg toward a monitored extension (Gateway:MonitoredExtensions)."];
            return null;
        }
        errors["channel"] = ["Give channel=${CHANNEL(name)} of the leg, or extension=."];
        return null;
    }

    private static void Require(string field, string? value, bool required, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
        }
        else if (!IdPattern().IsMatch(value))
        {
            errors[field] = [$"{field} must be an Asterisk id such as 1732412345.42 (letters, digits, . _ - :; at most 128)."];
        }
    }

    private static string Cut(string? value, int length) => value is null ? "" : value.Length <= length ? value : value[..length];

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex IdPattern();
}
