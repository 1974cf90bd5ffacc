using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;

namespace CallerIdGateway.CallControl;

/// <summary><c>POST /api/calls/originate</c>: ring <see cref="Extension"/>, then dial <see cref="Number"/>.</summary>
public sealed record OriginateRequest(string? Extension, string? Number);

/// <summary><c>POST /api/calls/{callId}/hangup</c>: end (or decline) the call on <see cref="Extension"/>.</summary>
public sealed record HangupRequest(string? Extension);

/// <summary><c>POST /api/calls/{callId}/transfer</c>: send the call answered on <see cref="Extension"/> to <see cref="To"/>.</summary>
public sealed record TransferRequest(string? Extension, string? To);

/// <summary>202 Accepted: the PBX took the request; the call's states follow on the hub.</summary>
public sealed record CallControlAccepted(string CallId, string Extension);

public sealed class OriginateRequestValidator : AbstractValidator<OriginateRequest>
{
    public OriginateRequestValidator()
    {
        RuleFor(r => r.Extension).MustBeExtension();
        RuleFor(r => r.Number)
            .NotEmpty().WithMessage("number is required.")
            .Must(n => DialString.TryClean(n, out _))
            .WithMessage("number must be a phone number or extension to dial: digits (Persian digits too), an optional leading +, * or #, spaces and dashes; at most 32 digits.");
    }
}

public sealed class HangupRequestValidator : AbstractValidator<HangupRequest>
{
    public HangupRequestValidator() => RuleFor(r => r.Extension).MustBeExtension();
}

public sealed class TransferRequestValidator : AbstractValidator<TransferRequest>
{
    public TransferRequestValidator()
    {
        RuleFor(r => r.Extension).MustBeExtension();
        RuleFor(r => r.To).MustBeExtension("to")
            .NotEqual(r => r.Extension).WithMessage("to must be another extension than extension.");
    }
}

internal static partial class CallControlRules
{
    /// <summary>Extension names as Gateway:MonitoredExtensions accepts them: they end up in channel names and dialplan extensions.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeExtension<T>(this IRuleBuilder<T, string?> rule, string name = "extension") =>
        rule.NotEmpty().WithMessage($"{name} is required.")
            .Must(e => e is null || ExtensionPattern().IsMatch(e)).WithMessage($"{name} must be an extension such as 1008 (letters, digits, - _ ., at most 32).");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,32}$")]
    private static partial Regex ExtensionPattern();
}

/// <summary>A number made fit for a dialplan extension: what the agent clicked, without separators, in ASCII digits.</summary>
public static class DialString
{
    public const int MaxDigits = 32;

    /// <summary><c>۰۹۱۲ ۳۴۵-۶۷۸۹</c> → <c>09123456789</c>; false for anything a dialplan could not match (letters, a second +, too long).</summary>
    public static bool TryClean(string? input, out string dialString)
    {
        dialString = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxDigits * 2)
        {
            return false;
        }
        var text = new StringBuilder(input.Length);
        foreach (var c in input.Trim())
        {
            if (c is ' ' or '-' or '(' or ')' or '.' or '\u00A0')
            {
                continue;
            }
            if (char.IsDigit(c))
            {
                text.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
            else if (c is '*' or '#' || (c == '+' && text.Length == 0))
            {
                text.Append(c);
            }
            else
            {
                return false;
            }
        }
        if (text.Length is 0 or > MaxDigits || text.ToString() == "+")
        {
            return false;
        }
        dialString = text.ToString();
        return true;
    }
}
