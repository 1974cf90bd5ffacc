using System.Globalization;
using System.Text.Json;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// The naive endpoint's correctness over every known caller-ID sample, computed from the data set
/// instead of asked of the server (one JSON_CONTAINS scan of 1M rows takes seconds). Numbers are
/// unique, so an exact string match can only find the right customer: a known sample resolves
/// exactly when its text is one of the strings its customer's <c>phone_numbers</c> holds. The
/// online check of a few hundred samples in bench/lookup-load.sh confirms this figure.
/// <code>lookup naive-share --data DIR</code>
/// </summary>
internal static class NaiveShare
{
    public static int Run(string dataDirectory)
    {
        var samples = File.ReadLines(Path.Combine(dataDirectory, DataGenerator.SamplesFile))
            .Select(line => line.Split('\t'))
            .Where(parts => parts[2] != "0")
            .Select(parts => (Raw: parts[1], Customer: long.Parse(parts[2], CultureInfo.InvariantCulture), Form: parts[3]))
            .ToList();
        var wanted = samples.Select(s => s.Customer).ToHashSet();
        var typed = new Dictionary<long, string[]>();
        foreach (var line in File.ReadLines(Path.Combine(dataDirectory, DataGenerator.CustomersFile)))
        {
            var tab = line.IndexOf('\t');
            var id = long.Parse(line.AsSpan(0, tab), CultureInfo.InvariantCulture);
            if (wanted.Contains(id))
            {
                var json = line.Split('\t')[2];
                typed[id] = JsonSerializer.Deserialize<string[]>(json)!;
            }
        }
        var hits = samples.Count(s => typed[s.Customer].Contains(s.Raw, StringComparer.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"NAIVESHARE\t{samples.Count}\t{hits}\t{100.0 * hits / samples.Count:F2}"));
        foreach (var group in samples.GroupBy(s => s.Form).OrderBy(g => g.Key))
        {
            var right = group.Count(s => typed[s.Customer].Contains(s.Raw, StringComparer.Ordinal));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"FORM\tnaive-exact\t{group.Key}\t{group.Count()}\t{right}\t{100.0 * right / group.Count():F1}%"));
        }
        return 0;
    }
}
