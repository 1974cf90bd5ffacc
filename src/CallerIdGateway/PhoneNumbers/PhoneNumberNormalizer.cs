using System.Globalization;
using Microsoft.Extensions.Options;
using LibPhoneNumber = PhoneNumbers.PhoneNumberUtil;

namespace CallerIdGateway.PhoneNumbers;

/// <summary>
/// Turns numbers as people type them and as Asterisk presents them into one comparable form.
/// libphonenumber does the real work (national prefixes, country codes, 00 dialling, Persian
/// digits); around it we handle what it does not know: SIP/tel URIs, withheld-number words,
/// 8-digit local numbers that need the configured area code, and Iranian mobile ranges newer
/// than its metadata.
/// Thread-safe and allocation-light; one instance serves the whole process.
/// </summary>
public sealed class PhoneNumberNormalizer
{
    public const int MaxInputLength = 32;
    public const int MinDigits = 3;
    public const int MaxDigits = 17; // 15 (E.164) + an international prefix such as 00

    private static readonly LibPhoneNumber Util = LibPhoneNumber.GetInstance();

    /// <summary>Raise when a rule of ours changes what a number normalizes to: the number index is then rebuilt.</summary>
    private const int RulesRevision = 2;

    private const int IranCountryCode = 98;

    // What Asterisk and SIP trunks put in the caller ID when there is no number to show.
    private static readonly HashSet<string> WithheldWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "anonymous", "unknown", "<unknown>", "restricted", "private", "unavailable", "withheld", "blocked", "unknown caller",
    };

    private readonly string _region;
    private readonly string _areaCode;
    private readonly int _localLength;
    private readonly int _countryCode;

    public PhoneNumberNormalizer(IOptions<PhoneNumberOptions> options)
    {
        _region = options.Value.DefaultRegion;
        _areaCode = options.Value.DefaultAreaCode;
        _localLength = options.Value.LocalNumberLength;
        _countryCode = Util.GetCountryCodeForRegion(_region);
        Rules = string.Create(CultureInfo.InvariantCulture,
            $"rules={RulesRevision};libphonenumber={typeof(LibPhoneNumber).Assembly.GetName().Version};region={_region};area={_areaCode};local={_localLength}");
    }

    /// <summary>
    /// Everything that decides what a number normalizes to: our rules, libphonenumber's metadata and
    /// the PhoneNumbers settings. The number index records it and is rebuilt when it changes.
    /// </summary>
    public string Rules { get; }

    public static bool IsSupportedRegion(string region) => Util.GetSupportedRegions().Contains(region);

    public PhoneNumberParseResult Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Fail(NotANumberReason.Empty);
        }
        if (input.Length > MaxInputLength)
        {
            return Fail(NotANumberReason.TooLong);
        }

        var text = StripUri(input.Trim());
        if (WithheldWords.Contains(text))
        {
            return Fail(NotANumberReason.Withheld);
        }

        Span<char> digits = stackalloc char[MaxInputLength];
        var count = 0;
        var plus = false;
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return Fail(NotANumberReason.ControlCharacters);
            }
            var digit = AsciiDigit(c);
            if (digit >= 0)
            {
                digits[count++] = (char)('0' + digit);
            }
            else if (c == '+' && count == 0 && !plus)
            {
                plus = true;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '/' or '\u00A0'))
            {
                return Fail(NotANumberReason.InvalidCharacters);
            }
        }

        if (count < MinDigits)
        {
            return Fail(count == 0 ? NotANumberReason.InvalidCharacters : NotANumberReason.TooFewDigits);
        }
        if (count > MaxDigits)
        {
            return Fail(NotANumberReason.TooManyDigits);
        }

        var bare = new string(digits[..count]);
        return new PhoneNumberParseResult(Normalize(bare, plus), null);
    }

    /// <summary>The normalized form, or null when the input is not a number.</summary>
    public string? NormalizeOrNull(string? input) => Parse(input).Number?.Normalized;

    private PhoneNumber Normalize(string digits, bool plus)
    {
        // A bare local number (12345678) is dialled inside the default area: give it the area code.
        var candidate = !plus && digits.Length == _localLength && digits[0] != '0'
            ? "0" + _areaCode + digits
            : plus ? "+" + digits : digits;

        try
        {
            var number = Util.Parse(candidate, _region);
            if (Util.IsValidNumber(number) || IsIranianMobile(number))
            {
                var display = number.CountryCode == _countryCode
                    ? Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.NATIONAL)
                    : Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.INTERNATIONAL);
                return new PhoneNumber(Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.E164), display, true);
            }
        }
        catch (global::PhoneNumbers.NumberParseException)
        {
            // Not parseable as a number of any region: fall through to the bare digits.
        }

        // Extensions (1009), short codes, or numbers no region accepts: compare them digit for digit.
        var bare = plus ? "+" + digits : digits;
        return new PhoneNumber(bare, bare, false);
    }

    /// <summary>
    /// +98 9xx xxx xxxx. Every Iranian mobile number has this shape, but libphonenumber's metadata
    /// trails the regulator's new ranges (9.0.43 accepts only parts of 0941…, 0995…, 0998… and 0999…):
    /// without this such a number would keep its digits as typed, and 0995…, +98995… and 0098995…
    /// would not find each other.
    /// </summary>
    private static bool IsIranianMobile(global::PhoneNumbers.PhoneNumber number) =>
        number.CountryCode == IranCountryCode && number.NationalNumber is >= 9_000_000_000 and <= 9_999_999_999;

    /// <summary><c>tel:+98…</c>, <c>sip:0912…@pbx;user=phone</c> → the user part.</summary>
    private static string StripUri(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return text;
        }
        var scheme = text.AsSpan(0, colon);
        if (!scheme.Equals("tel", StringComparison.OrdinalIgnoreCase)
            && !scheme.Equals("sip", StringComparison.OrdinalIgnoreCase)
            && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }
        var user = text.AsSpan(colon + 1);
        var end = user.IndexOfAny('@', ';');
        return (end >= 0 ? user[..end] : user).Trim().ToString();
    }

    /// <summary>ASCII, Persian (۰–۹) and Arabic-Indic (٠–٩) digits → 0–9; anything else → -1.</summary>
    private static int AsciiDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= '\u06F0' and <= '\u06F9' => c - '\u06F0',
        >= '\u0660' and <= '\u0669' => c - '\u0660',
        _ => -1,
    };

    private static PhoneNumberParseResult Fail(NotANumberReason reason) => new(null, reason);
}
