using BenchmarkDotNet.Attributes;
using CallerIdGateway.PhoneNumbers;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Benchmarks;

/// <summary>
/// <see cref="PhoneNumberNormalizer.Parse"/> over the forms the gateway meets: typed by people into
/// the invoicing app (read by the index sync, and again for every row a lookup returns) and
/// presented by Asterisk (read once or twice per lookup).
/// <code>dotnet run -c Release --project tests/CallerIdGateway.Benchmarks -- --filter '*NormalizerBenchmarks*'</code>
/// </summary>
[MemoryDiagnoser]
public class NormalizerBenchmarks
{
    // Each array is one "operation" for the per-number figure below (OperationsPerInvoke).
    private static readonly string[] Typed =
    [
        "09123456789", "0912 345 6789", "0912-345-6789", "+989123456789", "00989123456789", "۰۹۱۲۳۴۵۶۷۸۹", "+98 912 345 6789", "9123456789",
        "(021) 2234 5678", "22345678", "2122345678", "021-22345678", "02122345678", "۰۲۱۲۲۳۴۵۶۷۸", "031-32345678", "(051) 3234 5678",
    ];

    private static readonly string[] CallerIds =
    [
        "09123456789", "+989123456789", "989123456789", "9123456789", "00989123456789", "22345678", "02122345678", "+982122345678",
        "03132345678", "983132345678", "09351234567", "+989011234567", "88001234", "02188001234", "9901234567", "00989901234567",
    ];

    private static readonly string[] NotNumbers =
    [
        "anonymous", "", "1008", "sip:1008@pbx", "tel:+989123456789", "abc123", "+", "12", "unknown", "Restricted", "0", "  ", "1009", "*97", "#", "99",
    ];

    private PhoneNumberNormalizer _normalizer = null!;

    [GlobalSetup]
    public void Setup() => _normalizer = new PhoneNumberNormalizer(Options.Create(new PhoneNumberOptions()));

    [Benchmark(OperationsPerInvoke = 16, Description = "Parse: typed forms (per number)")]
    public int TypedForms() => ParseAll(Typed);

    [Benchmark(OperationsPerInvoke = 16, Description = "Parse: caller-ID forms (per number)")]
    public int CallerIdForms() => ParseAll(CallerIds);

    [Benchmark(OperationsPerInvoke = 16, Description = "Parse: extensions, URIs, withheld, junk (per input)")]
    public int NotNumberForms() => ParseAll(NotNumbers);

    // Where Parse's time goes: libphonenumber alone on the same caller-ID numbers (digits already clean).
    private static readonly global::PhoneNumbers.PhoneNumberUtil Util = global::PhoneNumbers.PhoneNumberUtil.GetInstance();

    [Benchmark(OperationsPerInvoke = 16, Description = "libphonenumber: Parse + IsValidNumber + E.164 (per number)")]
    public int LibE164Only()
    {
        var length = 0;
        foreach (var input in CallerIds)
        {
            var number = Util.Parse(input.Length == 8 ? "021" + input : input, "IR");
            if (Util.IsValidNumber(number))
            {
                length += Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.E164).Length;
            }
        }
        return length;
    }

    [Benchmark(OperationsPerInvoke = 16, Description = "libphonenumber: the same + NATIONAL display (per number)")]
    public int LibE164AndDisplay()
    {
        var length = 0;
        foreach (var input in CallerIds)
        {
            var number = Util.Parse(input.Length == 8 ? "021" + input : input, "IR");
            if (Util.IsValidNumber(number))
            {
                length += Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.E164).Length
                    + Util.Format(number, global::PhoneNumbers.PhoneNumberFormat.NATIONAL).Length;
            }
        }
        return length;
    }

    private int ParseAll(string[] inputs)
    {
        var valid = 0;
        foreach (var input in inputs)
        {
            if (_normalizer.Parse(input).Number is { IsValid: true })
            {
                valid++;
            }
        }
        return valid;
    }
}
