namespace CallerIdGateway.PhoneNumbers;

/// <summary>
/// A caller or customer number reduced to one comparable form.
/// <see cref="Normalized"/> is E.164 (<c>+989123456789</c>) when the number is a valid number of
/// some region, otherwise its bare digits (internal extensions, short codes, numbers typed oddly)
/// so that they still compare equal to themselves.
/// </summary>
public sealed record PhoneNumber(string Normalized, string Display, bool IsValid);

/// <summary>Why an input is not a phone number. The messages are shown to API users.</summary>
public enum NotANumberReason
{
    Empty,
    Withheld,
    TooLong,
    ControlCharacters,
    InvalidCharacters,
    TooFewDigits,
    TooManyDigits,
}

/// <summary>The outcome of reading a number: either a <see cref="PhoneNumber"/> or a reason.</summary>
public readonly record struct PhoneNumberParseResult(PhoneNumber? Number, NotANumberReason? Reason)
{
    public bool IsNumber => Number is not null;

    public string Message => Reason switch
    {
        null => "",
        NotANumberReason.Empty => "The number is empty.",
        NotANumberReason.Withheld => "The caller withheld the number (anonymous, restricted or unknown).",
        NotANumberReason.TooLong => $"The number is longer than {PhoneNumberNormalizer.MaxInputLength} characters.",
        NotANumberReason.ControlCharacters => "The number contains control characters.",
        NotANumberReason.InvalidCharacters => "The number contains letters or symbols; only digits, a leading +, spaces, dashes, dots and brackets are allowed.",
        NotANumberReason.TooFewDigits => $"The number has fewer than {PhoneNumberNormalizer.MinDigits} digits.",
        NotANumberReason.TooManyDigits => $"The number has more than {PhoneNumberNormalizer.MaxDigits} digits.",
        _ => "The value is not a phone number.",
    };
}
