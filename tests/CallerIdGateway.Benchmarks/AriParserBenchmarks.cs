using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Benchmarks;

/// <summary>
/// The ARI parser over every frame of a real capture, as the events socket would feed it.
/// Divide by the frame count (Frames in the setup log: answered 85, callerid-formats 348,
/// queue-local 134) for time and bytes per event.
/// </summary>
[MemoryDiagnoser]
public class AriParserBenchmarks
{
    private static readonly AriEventParser GatewayTypes = new(AriEventParser.TypedEvents);

    private byte[][] _frames = [];

    [Params("answered", "callerid-formats", "queue-local")]
    public string Scenario { get; set; } = "answered";

    [GlobalSetup]
    public void Setup()
    {
        _frames = [.. AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, Scenario).Select(Encoding.UTF8.GetBytes)];
        Console.WriteLine($"// Frames: {_frames.Length} ({Scenario})");
    }

    /// <summary>What the gateway runs: typed events parsed, every other type skipped after its "type".</summary>
    [Benchmark(Baseline = true)]
    public int Typed_events_only()
    {
        var delivered = 0;
        foreach (var frame in _frames)
        {
            if (GatewayTypes.TryParse(frame, out var evt, out _) && evt is not null)
            {
                delivered++;
            }
        }
        return delivered;
    }

    /// <summary>No filter: unknown types (ChannelVarset, …) are materialized as AriUnknownEvent too.</summary>
    [Benchmark]
    public int Every_event()
    {
        var delivered = 0;
        foreach (var frame in _frames)
        {
            if (AriEventParser.All.TryParse(frame, out var evt, out _) && evt is not null)
            {
                delivered++;
            }
        }
        return delivered;
    }

    /// <summary>Reference point: only building a JsonDocument per frame, as a naive parser would.</summary>
    [Benchmark]
    public int JsonDocument_per_frame()
    {
        var dials = 0;
        foreach (var frame in _frames)
        {
            using var document = JsonDocument.Parse(frame);
            if (document.RootElement.GetProperty("type").ValueEquals("Dial"u8))
            {
                dials++;
            }
        }
        return dials;
    }
}
