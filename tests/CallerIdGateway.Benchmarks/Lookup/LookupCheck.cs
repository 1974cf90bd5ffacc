using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CallerIdGateway.Benchmarks.Lookup;

/// <summary>
/// Correctness of an endpoint over the caller-ID samples: for each known sample, does the answer
/// name the expected customer; for each unknown one, is it a 404. Prints one machine-readable
/// CHECK line (read by bench/lookup-load.sh) and a per-form breakdown.
/// </summary>
internal static class LookupCheck
{
    public static async Task<int> RunAsync(string name, string urlPrefix, string samplesFile, int max, int parallel, string? apiKey)
    {
        var samples = File.ReadLines(samplesFile).Take(max).Select(Parse).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        var outcomes = new Outcome[samples.Count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, samples.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            var sample = samples[i];
            try
            {
                using var response = await http.GetAsync(urlPrefix + sample.Encoded, ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    outcomes[i] = Outcome.NotFound;
                    return;
                }
                if (!response.IsSuccessStatusCode)
                {
                    outcomes[i] = Outcome.Error;
                    return;
                }
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
                var id = doc.RootElement.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object
                    ? customer.GetProperty("id").GetInt64()
                    : 0;
                outcomes[i] = id == sample.Expected ? Outcome.Right : id == 0 ? Outcome.NotFound : Outcome.Wrong;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                outcomes[i] = Outcome.Error;
            }
        });

        var known = samples.Select((s, i) => (s, o: outcomes[i])).Where(x => x.s.Expected != 0).ToList();
        var unknown = samples.Select((s, i) => (s, o: outcomes[i])).Where(x => x.s.Expected == 0).ToList();
        var knownRight = known.Count(x => x.o == Outcome.Right);
        var unknownRight = unknown.Count(x => x.o == Outcome.NotFound);
        var wrong = known.Count(x => x.o == Outcome.Wrong) + unknown.Count(x => x.o is Outcome.Right or Outcome.Wrong);
        var errors = samples.Count - known.Count(x => x.o is Outcome.Right or Outcome.Wrong or Outcome.NotFound)
            - unknown.Count(x => x.o is Outcome.Right or Outcome.Wrong or Outcome.NotFound);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CHECK\t{name}\t{known.Count}\t{knownRight}\t{unknown.Count}\t{unknownRight}\t{wrong}\t{errors}\t{watch.Elapsed.TotalSeconds:F1}"));
        foreach (var group in known.GroupBy(x => x.s.Form).OrderBy(g => g.Key))
        {
            var right = group.Count(x => x.o == Outcome.Right);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"FORM\t{name}\t{group.Key}\t{group.Count()}\t{right}\t{100.0 * right / group.Count():F1}%"));
        }
        foreach (var miss in known.Where(x => x.o != Outcome.Right).Take(5))
        {
            Console.WriteLine($"MISS\t{name}\t{miss.s.Raw}\texpected {miss.s.Expected}\t{miss.o}");
        }
        return 0;
    }

    private enum Outcome
    {
        Error,
        Right,
        Wrong,
        NotFound,
    }

    private sealed record Sample(string Encoded, string Raw, long Expected, string Form);

    private static Sample Parse(string line)
    {
        var parts = line.Split('\t');
        return new Sample(parts[0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
    }
}
