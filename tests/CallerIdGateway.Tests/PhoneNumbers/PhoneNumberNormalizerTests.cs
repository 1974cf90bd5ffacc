using CallerIdGateway.PhoneNumbers;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.PhoneNumbers;

public class PhoneNumberNormalizerTests
{
    private static readonly PhoneNumberNormalizer Tehran = new(Options.Create(new PhoneNumberOptions()));

    [Theory]
    // An Iranian mobile, as people type it and as trunks present it.
    [InlineData("09123456789", "+989123456789", "0912 345 6789")]
    [InlineData("+989123456789", "+989123456789", "0912 345 6789")]
    [InlineData("00989123456789", "+989123456789", "0912 345 6789")]
    [InlineData("989123456789", "+989123456789", "0912 345 6789")]
    [InlineData("9123456789", "+989123456789", "0912 345 6789")]
    [InlineData("۰۹۱۲۳۴۵۶۷۸۹", "+989123456789", "0912 345 6789")]
    [InlineData("٠٩١٢٣٤٥٦٧٨٩", "+989123456789", "0912 345 6789")]
    [InlineData("0912 345 6789", "+989123456789", "0912 345 6789")]
    [InlineData("(0912) 345-6789", "+989123456789", "0912 345 6789")]
    [InlineData("0912.345.6789", "+989123456789", "0912 345 6789")]
    [InlineData("  09123456789  ", "+989123456789", "0912 345 6789")]
    [InlineData("+98 (912) 345 67 89", "+989123456789", "0912 345 6789")]
    [InlineData("tel:+989123456789", "+989123456789", "0912 345 6789")]
    [InlineData("TEL:+989123456789", "+989123456789", "0912 345 6789")]
    [InlineData("sip:09123456789@pbx", "+989123456789", "0912 345 6789")]
    [InlineData("sip:+989123456789@pbx;user=phone", "+989123456789", "0912 345 6789")]
    [InlineData("sips:09123456789@pbx.example", "+989123456789", "0912 345 6789")]
    [InlineData("+۹۸۹۱۲۳۴۵۶۷۸۹", "+989123456789", "0912 345 6789")]
    // A Tehran landline, with and without area code, and local.
    [InlineData("12345678", "+982112345678", "021 1234 5678")]
    [InlineData("02112345678", "+982112345678", "021 1234 5678")]
    [InlineData("+982112345678", "+982112345678", "021 1234 5678")]
    [InlineData("2112345678", "+982112345678", "021 1234 5678")]
    [InlineData("00982112345678", "+982112345678", "021 1234 5678")]
    [InlineData("021-1234-5678", "+982112345678", "021 1234 5678")]
    [InlineData("۱۲۳۴۵۶۷۸", "+982112345678", "021 1234 5678")]
    // Other cities keep their own area code.
    [InlineData("03132221100", "+983132221100", "031 3222 1100")]
    [InlineData("02632224455", "+982632224455", "026 3222 4455")]
    // Numbers of mobile ranges libphonenumber knows only in part (0941, 0995) still meet their other forms.
    [InlineData("09951234567", "+989951234567", "0995 123 4567")]
    [InlineData("+989951234567", "+989951234567", "0995 123 4567")]
    [InlineData("00989951234567", "+989951234567", "0995 123 4567")]
    [InlineData("989951234567", "+989951234567", "0995 123 4567")]
    [InlineData("۰۹۹۵۱۲۳۴۵۶۷", "+989951234567", "0995 123 4567")]
    [InlineData("0941 123 4567", "+989411234567", "0941 123 4567")]
    // Foreign numbers stay international.
    [InlineData("+16502530000", "+16502530000", "+1 650-253-0000")]
    [InlineData("00442079460000", "+442079460000", "+44 20 7946 0000")]
    public void Valid_numbers_normalize_to_e164(string input, string normalized, string display)
    {
        var result = Tehran.Parse(input);

        Assert.True(result.IsNumber, result.Message);
        Assert.Equal(normalized, result.Number!.Normalized);
        Assert.Equal(display, result.Number.Display);
        Assert.True(result.Number.IsValid);
    }

    [Theory]
    [InlineData("1009", "1009")]
    [InlineData("700", "700")]
    [InlineData("0912345", "0912345")]
    [InlineData("+99912345", "+99912345")]
    [InlineData("099512345", "099512345")]
    [InlineData("0871234567", "0871234567")]
    public void Extensions_and_numbers_no_region_accepts_compare_by_their_digits(string input, string normalized)
    {
        var result = Tehran.Parse(input);

        Assert.True(result.IsNumber);
        Assert.Equal(normalized, result.Number!.Normalized);
        Assert.False(result.Number.IsValid);
    }

    [Theory]
    [InlineData(null, NotANumberReason.Empty)]
    [InlineData("", NotANumberReason.Empty)]
    [InlineData("   ", NotANumberReason.Empty)]
    [InlineData("anonymous", NotANumberReason.Withheld)]
    [InlineData("Anonymous", NotANumberReason.Withheld)]
    [InlineData("unknown", NotANumberReason.Withheld)]
    [InlineData("Restricted", NotANumberReason.Withheld)]
    [InlineData("<unknown>", NotANumberReason.Withheld)]
    [InlineData("PRIVATE", NotANumberReason.Withheld)]
    [InlineData("sip:anonymous@anonymous.invalid", NotANumberReason.Withheld)]
    [InlineData("abc", NotANumberReason.InvalidCharacters)]
    [InlineData("0912abc6789", NotANumberReason.InvalidCharacters)]
    [InlineData("09123456789#", NotANumberReason.InvalidCharacters)]
    [InlineData("0912+3456789", NotANumberReason.InvalidCharacters)]
    [InlineData("++989123456789", NotANumberReason.InvalidCharacters)]
    [InlineData("123456789012345678901234567890123", NotANumberReason.TooLong)]
    [InlineData("0912\t3456789", NotANumberReason.ControlCharacters)]
    [InlineData("0912\u00003456789", NotANumberReason.ControlCharacters)]
    [InlineData("12", NotANumberReason.TooFewDigits)]
    [InlineData("+", NotANumberReason.InvalidCharacters)]
    [InlineData("123456789012345678", NotANumberReason.TooManyDigits)]
    public void Values_that_are_not_numbers_are_refused_with_a_reason(string? input, NotANumberReason reason)
    {
        var result = Tehran.Parse(input);

        Assert.False(result.IsNumber);
        Assert.Equal(reason, result.Reason);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public void The_default_area_code_is_configurable()
    {
        var isfahan = new PhoneNumberNormalizer(Options.Create(new PhoneNumberOptions { DefaultAreaCode = "31" }));

        Assert.Equal("+983132221100", isfahan.NormalizeOrNull("32221100"));
    }

    [Fact]
    public void The_rules_name_everything_that_decides_a_normalized_form()
    {
        var isfahan = new PhoneNumberNormalizer(Options.Create(new PhoneNumberOptions { DefaultAreaCode = "31" }));

        Assert.Matches(@"^rules=\d+;libphonenumber=[\d.]+;region=IR;area=21;local=8$", Tehran.Rules);
        Assert.NotEqual(Tehran.Rules, isfahan.Rules);
    }
}
