using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// The lookup load run's data set, written as tab-separated files for LOAD DATA LOCAL INFILE:
/// customers with 1–3 Iranian numbers each in the forms people type them, ~3 invoices per customer,
/// the pre-normalized numbers for the floor endpoint, and caller-ID samples in the forms Asterisk
/// presents them (about 10 % of numbers that belong to nobody). Deterministic for a seed.
/// Every number is unique, so "the right customer" of a sample is never ambiguous.
/// </summary>
internal static class DataGenerator
{
    public const string CustomersFile = "customers.tsv";
    public const string InvoicesFile = "invoices.tsv";
    public const string NumbersFile = "numbers.tsv";
    public const string SamplesFile = "samples.tsv";
    public const string ManifestFile = "manifest.txt";

    // Operator prefixes libphonenumber's IR metadata accepts for every subscriber number (0941, 0995,
    // 0998 and 0999 are only partly covered, see docs/performance.md). Repeated entries weigh more.
    private static readonly string[] MobilePrefixes =
    [
        "912", "912", "912", "912", "919", "919", "935", "935", "936", "937", "938", "939", "901", "901", "902", "903", "904", "905",
        "910", "911", "913", "914", "915", "916", "917", "918", "920", "921", "922", "930", "933", "934", "990", "991", "992", "993", "994",
    ];

    // Other cities: Isfahan, Mashhad, Karaj, Tabriz, Shiraz, Ahvaz, Qom, Rasht (all 8-digit subscriber numbers).
    private static readonly string[] OtherAreas = ["31", "51", "26", "41", "71", "61", "25", "13"];

    private static readonly string[] FirstNames =
    [
        "محمد", "علی", "حسین", "رضا", "مهدی", "امیر", "حمید", "سعید", "مجید", "کاوه", "بهرام", "آرش", "بابک", "مصطفی", "جواد", "یاسر", "پویا", "کامران",
        "فاطمه", "زهرا", "مریم", "سارا", "نرگس", "الهام", "لیلا", "پریسا", "نیلوفر", "شیرین", "مینا", "سمیرا", "هانیه", "فرشته", "مهسا", "آزاده", "ترانه", "یاسمن",
    ];

    private static readonly string[] LastNames =
    [
        "احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "کاظمی", "رحیمی", "صادقی", "خلیلی", "قاسمی", "نوری", "عباسی", "هاشمی", "طاهری",
        "اکبری", "زمانی", "شریفی", "یوسفی", "تهرانی", "اصفهانی", "شیرازی", "حیدری", "مرادی", "فراهانی", "نجفی", "سلیمانی", "کرمانی", "بهرامی", "توکلی", "امینی",
    ];

    private static readonly string[] CompanyWords = ["بازرگانی", "صنایع", "پخش", "فناوری", "ساختمانی", "تجهیزات"];

    private static readonly (string Status, int Weight)[] Statuses = [("paid", 60), ("issued", 20), ("overdue", 10), ("draft", 5), ("cancelled", 5)];

    public enum Kind
    {
        Mobile,
        Tehran,
        OtherCity,
    }

    /// <summary>A canonical number: <see cref="Area"/> without trunk 0 ("912", "21", "31") and the subscriber digits.</summary>
    public readonly record struct Number(Kind Kind, string Area, string Subscriber)
    {
        public string National => Area + Subscriber; // 9123456789, 2112345678

        public string E164 => "+98" + National;
    }

    public static async Task<int> RunAsync(string outDirectory, int customers, int samples, int seed)
    {
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(outDirectory);
        var rng = new Random(seed);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var owned = new List<(long CustomerId, Number Number)>(customers * 2);
        var utf8 = new UTF8Encoding(false);
        long invoiceId = 0;
        var numberCount = 0;

        await using (var customerOut = new StreamWriter(Path.Combine(outDirectory, CustomersFile), false, utf8, 1 << 20))
        await using (var invoiceOut = new StreamWriter(Path.Combine(outDirectory, InvoicesFile), false, utf8, 1 << 20))
        await using (var numberOut = new StreamWriter(Path.Combine(outDirectory, NumbersFile), false, utf8, 1 << 20))
        {
            var json = new StringBuilder(128);
            var line = new StringBuilder(256);
            var epoch = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var invoiceEpoch = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (long id = 1; id <= customers; id++)
            {
                var count = rng.Next(100) switch { < 50 => 1, < 85 => 2, _ => 3 };
                json.Clear().Append('[');
                for (var k = 0; k < count; k++)
                {
                    var number = NewUniqueNumber(rng, used);
                    owned.Add((id, number));
                    numberCount++;
                    if (k > 0)
                    {
                        json.Append(", ");
                    }
                    json.Append('"').Append(Typed(rng, number)).Append('"');
                    numberOut.Write(number.E164);
                    numberOut.Write('\t');
                    numberOut.Write(id.ToString(CultureInfo.InvariantCulture));
                    numberOut.Write('\n');
                }
                json.Append(']');

                var created = epoch.AddSeconds(rng.NextInt64(0, 3L * 365 * 86400));
                line.Clear()
                    .Append(id.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(Name(rng)).Append('\t')
                    .Append(json).Append('\t')
                    .Append(rng.Next(100) < 60 ? $"customer{id}@example.ir" : "\\N").Append('\t')
                    .Append(created.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append('\n');
                customerOut.Write(line);

                var invoices = rng.Next(0, 7); // 0–6, 3 on average
                for (var k = 0; k < invoices; k++)
                {
                    invoiceId++;
                    var issued = invoiceEpoch.AddSeconds(rng.NextInt64(0, 4L * 365 * 86400));
                    var amount = rng.NextInt64(100, 2_000_000) * 1000;
                    line.Clear()
                        .Append(invoiceId.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(id.ToString(CultureInfo.InvariantCulture)).Append('\t')
                        .Append(PersianYear(issued).ToString(CultureInfo.InvariantCulture)).Append('-').Append(invoiceId.ToString("D7", CultureInfo.InvariantCulture)).Append('\t')
                        .Append(issued.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append('\t')
                        .Append(amount.ToString(CultureInfo.InvariantCulture)).Append(".00\t")
                        .Append(Weighted(rng, Statuses)).Append('\n');
                    invoiceOut.Write(line);
                }
            }
        }

        // Caller-ID samples: ~90 % numbers of known customers, ~10 % numbers nobody has, shuffled.
        var unknownCount = samples / 10;
        var lines = new List<string>(samples);
        for (var i = 0; i < samples - unknownCount; i++)
        {
            var (customerId, number) = owned[rng.Next(owned.Count)];
            var (form, text) = CallerId(rng, number);
            lines.Add(SampleLine(text, customerId, form));
        }
        for (var i = 0; i < unknownCount; i++)
        {
            var number = NewUniqueNumber(rng, used);
            var (form, text) = CallerId(rng, number);
            lines.Add(SampleLine(text, 0, "unknown/" + form));
        }
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(lines));
        await File.WriteAllLinesAsync(Path.Combine(outDirectory, SamplesFile), lines, utf8);

        var manifest = string.Create(CultureInfo.InvariantCulture,
            $"customers\t{customers}\nnumbers\t{numberCount}\ninvoices\t{invoiceId}\nsamples\t{samples}\nunknownSamples\t{unknownCount}\nseed\t{seed}\ngenerateSeconds\t{watch.Elapsed.TotalSeconds:F1}\n");
        await File.WriteAllTextAsync(Path.Combine(outDirectory, ManifestFile), manifest, utf8);
        Console.Write(manifest);
        return 0;
    }

    private static string SampleLine(string text, long customerId, string form) =>
        string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(text)}\t{text}\t{customerId}\t{form}");

    private static Number NewUniqueNumber(Random rng, HashSet<string> used)
    {
        while (true)
        {
            var roll = rng.Next(100);
            Number number;
            if (roll < 60)
            {
                number = new Number(Kind.Mobile, MobilePrefixes[rng.Next(MobilePrefixes.Length)], rng.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture));
            }
            else if (roll < 90)
            {
                // Tehran subscriber numbers start with 2–8 (2290…, 4431…, 6600…, 8812…).
                number = new Number(Kind.Tehran, "21", rng.Next(20_000_000, 90_000_000).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                var area = OtherAreas[rng.Next(OtherAreas.Length)];
                number = new Number(Kind.OtherCity, area, area[0] + rng.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture));
            }
            if (used.Add(number.E164))
            {
                return number;
            }
        }
    }

    /// <summary>The number as a person typed it into the invoicing app.</summary>
    internal static string Typed(Random rng, Number n)
    {
        var a = n.Area;
        var s = n.Subscriber;
        var roll = rng.Next(100);
        return n.Kind switch
        {
            Kind.Mobile => roll switch
            {
                < 35 => $"0{a}{s}",                                  // 09123456789
                < 50 => $"0{a} {s[..3]} {s[3..]}",                   // 0912 345 6789
                < 60 => $"0{a}-{s[..3]}-{s[3..]}",                   // 0912-345-6789
                < 75 => $"+98{a}{s}",                                // +989123456789
                < 80 => $"0098{a}{s}",                               // 00989123456789
                < 90 => Persian($"0{a}{s}"),                         // ۰۹۱۲۳۴۵۶۷۸۹
                < 95 => $"+98 {a} {s[..3]} {s[3..]}",                // +98 912 345 6789
                _ => $"{a}{s}",                                      // 9123456789
            },
            Kind.Tehran => roll switch
            {
                < 20 => $"0{a}{s}",                                  // 02112345678
                < 35 => $"(0{a}) {s[..4]} {s[4..]}",                 // (021) 1234 5678
                < 60 => s,                                           // 12345678
                < 70 => $"{a}{s}",                                   // 2112345678
                < 80 => $"0{a}-{s}",                                 // 021-12345678
                < 90 => $"+98{a}{s}",                                // +982112345678
                < 95 => Persian($"0{a}{s}"),                         // ۰۲۱۱۲۳۴۵۶۷۸
                _ => Persian(s),                                     // ۱۲۳۴۵۶۷۸
            },
            _ => roll switch
            {
                < 40 => $"0{a}{s}",                                  // 03112345678
                < 65 => $"0{a}-{s}",                                 // 031-12345678
                < 80 => $"(0{a}) {s[..4]} {s[4..]}",                 // (031) 1234 5678
                < 90 => $"+98{a}{s}",                                // +983112345678
                _ => Persian($"0{a}{s}"),                            // ۰۳۱۱۲۳۴۵۶۷۸
            },
        };
    }

    /// <summary>The number as Asterisk presents it in CALLERID(num), with the name of the form.</summary>
    internal static (string Form, string Text) CallerId(Random rng, Number n)
    {
        var a = n.Area;
        var s = n.Subscriber;
        var roll = rng.Next(100);
        return n.Kind switch
        {
            Kind.Mobile => roll switch
            {
                < 40 => ("mobile/0national", $"0{a}{s}"),
                < 60 => ("mobile/+98", $"+98{a}{s}"),
                < 75 => ("mobile/98", $"98{a}{s}"),
                < 85 => ("mobile/national", $"{a}{s}"),
                _ => ("mobile/0098", $"0098{a}{s}"),
            },
            Kind.Tehran => roll switch
            {
                < 40 => ("tehran/local8", s),
                < 75 => ("tehran/0national", $"0{a}{s}"),
                < 85 => ("tehran/+98", $"+98{a}{s}"),
                < 90 => ("tehran/98", $"98{a}{s}"),
                _ => ("tehran/national", $"{a}{s}"),
            },
            _ => roll switch
            {
                < 50 => ("city/0national", $"0{a}{s}"),
                < 70 => ("city/+98", $"+98{a}{s}"),
                < 80 => ("city/98", $"98{a}{s}"),
                < 90 => ("city/national", $"{a}{s}"),
                _ => ("city/0098", $"0098{a}{s}"),
            },
        };
    }

    private static string Persian(string digits) =>
        string.Create(digits.Length, digits, (span, d) =>
        {
            for (var i = 0; i < d.Length; i++)
            {
                span[i] = d[i] is >= '0' and <= '9' ? (char)('\u06F0' + (d[i] - '0')) : d[i];
            }
        });

    private static string Name(Random rng) => rng.Next(100) < 10
        ? $"{CompanyWords[rng.Next(CompanyWords.Length)]} {LastNames[rng.Next(LastNames.Length)]}"
        : $"{FirstNames[rng.Next(FirstNames.Length)]} {LastNames[rng.Next(LastNames.Length)]}";

    private static readonly PersianCalendar Calendar = new();

    private static int PersianYear(DateTime date) => Calendar.GetYear(date);

    private static string Weighted(Random rng, (string Value, int Weight)[] choices)
    {
        var roll = rng.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }
            roll -= weight;
        }
        return choices[^1].Value;
    }
}
