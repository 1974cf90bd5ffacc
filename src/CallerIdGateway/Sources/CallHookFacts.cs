using System.Globalization;
using System.Text.RegularExpressions;
using CallerIdGateway.Calls;
using CallerIdGateway.Dialplan;

namespace CallerIdGateway.Sources;

/// <summary>
/// The third event source, beside ARI and AMI: the dialplan's HTTP call hooks (<see cref="CallHookReport"/>,
/// read by the Dialplan API). Turns a report into the protocol-neutral facts the tracker understands (pure: no I/O, no clock).
/// </summary>
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
