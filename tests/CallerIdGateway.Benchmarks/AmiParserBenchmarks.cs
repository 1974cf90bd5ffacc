using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Benchmarks;

/// <summary>
/// The AMI parser over every captured session (both Asterisk versions, all scenarios, read=all:
/// VarSet, Newexten and the rest included), read through a PipeReader in 16 KiB reads as from a
/// socket. One operation is one packet, so Mean is the time per packet (events/s = 1e9 / Mean in
/// ns) and Allocated the bytes per packet.
/// </summary>
[MemoryDiagnoser]
public class AmiParserBenchmarks
{
    /// <summary>Packets in the corpus (checked at setup): the captures are fixed, and BenchmarkDotNet needs a constant.</summary>
    private const int PacketsInCorpus = 2473;

    private static readonly string[] GatewayEvents =
    [
        "Newchannel", "Newstate", "NewConnectedLine", "DialBegin", "DialState", "DialEnd", "Dial", "Hangup",
        "HangupRequest", "SoftHangupRequest", "BridgeEnter", "BridgeLeave", "CoreShowChannel", "CoreShowChannelsComplete",
        "FullyBooted", "Shutdown", "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "AgentCalled",
        "AgentConnect", "AgentRingNoAnswer",
    ];

    private byte[] _corpus = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var corpus = new MemoryStream();
        foreach (var pair in AsteriskFixtures.All())
        {
            var capture = AsteriskFixtures.AmiBytes((string)pair[0], (string)pair[1]);
            var afterBanner = Array.IndexOf(capture, (byte)'\n') + 1;
            corpus.Write(capture, afterBanner, capture.Length - afterBanner);
        }
        _corpus = corpus.ToArray();

        var packets = await ParseAsync(null);
        if (packets.Total != PacketsInCorpus)
        {
            throw new InvalidOperationException($"The corpus has {packets.Total} packets, not {PacketsInCorpus}: update PacketsInCorpus.");
        }
        var kept = await ParseAsync(GatewayEvents);
        Console.WriteLine($"// AMI corpus: {_corpus.Length:N0} bytes, {PacketsInCorpus} packets, {kept.Kept} kept by the gateway filter");
    }

    [Benchmark(OperationsPerInvoke = PacketsInCorpus, Baseline = true)]
    public async Task<int> GatewayFilter() => (await ParseAsync(GatewayEvents)).Kept;

    [Benchmark(OperationsPerInvoke = PacketsInCorpus)]
    public async Task<int> AllEvents() => (await ParseAsync(null)).Kept;

    private async Task<(int Kept, long Total)> ParseAsync(string[]? wantedEvents)
    {
        var input = PipeReader.Create(new MemoryStream(_corpus, writable: false), new StreamPipeReaderOptions(bufferSize: 16 * 1024));
        var reader = new AmiProtocolReader(input, wantedEvents);
        var kept = 0;
        while (await reader.ReadMessageAsync() is not null)
        {
            kept++;
        }
        return (kept, kept + reader.FilteredEvents + reader.SkippedPackets);
    }
}
