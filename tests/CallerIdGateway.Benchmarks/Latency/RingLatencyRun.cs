using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CallerIdGateway.IntegrationTests.TestAsterisk;

namespace CallerIdGateway.Benchmarks.Latency;

/// <summary>
/// Ring-to-screen latency: a test ARI server (this process) sends the frames of a call that rings
/// 1008; the gateway (its own process, Release build, real MariaDB) resolves the caller and pushes
/// it; bare SignalR WebSocket clients (this process, <see cref="LightHubClient"/>) receive it. Latency = the client's handler running minus the
/// moment the Dial frame left the ARI server, on one clock. See bench/ring-latency.sh.
/// With <c>--instances 2</c> two gateways on one Redis follow the same ARI server, each with its own
/// application name (docs/scaling.md), and client i connects to instance i mod 2.
/// </summary>
internal static class RingLatencyRun
{
    private const string ApiKey = "bench-key-0123456789abcdef";

    public static async Task<int> MainAsync(string[] args)
    {
        var options = CommandLine.Options(args);
        var dll = options["gateway-dll"];
        var connectionString = options["connection-string"];
        var clientCount = int.Parse(options.GetValueOrDefault("clients", "500"), CultureInfo.InvariantCulture);
        var calls = int.Parse(options.GetValueOrDefault("calls", "50"), CultureInfo.InvariantCulture);
        var window = TimeSpan.FromMilliseconds(double.Parse(options.GetValueOrDefault("window-ms", "1000"), CultureInfo.InvariantCulture));
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture);
        // Rounds printed but left out of the summary: the gateway's JIT and tiering settle in the first seconds of load.
        var warmupRounds = int.Parse(options.GetValueOrDefault("warmup-rounds", "0"), CultureInfo.InvariantCulture);
        var instanceCount = int.Parse(options.GetValueOrDefault("instances", "1"), CultureInfo.InvariantCulture);
        var redis = options.GetValueOrDefault("redis");
        // The script's temp folder: each gateway's call-log journal, and its pid so that the script can kill it if this process dies.
        var workDir = options.GetValueOrDefault("work-dir");
        if (instanceCount > 1 && redis is null)
        {
            throw new ArgumentException("--instances above 1 needs --redis host:port.");
        }

        await using var ari = new TestAriServer("gateway", "bench-secret");
        await ari.StartAsync();
        var gateways = new List<Gateway>();
        try
        {
            // One after the other: the first creates the schema and the demo data.
            for (var i = 0; i < instanceCount; i++)
            {
                var name = instanceCount == 1 ? "gateway" : ((char)('a' + i)).ToString();
                var port = CommandLine.FreePort();
                var gateway = new Gateway(name, $"http://127.0.0.1:{port}", StartGateway(dll, connectionString, ari, port, name, instanceCount == 1 ? null : redis, workDir));
                gateways.Add(gateway);
                if (workDir is not null)
                {
                    await File.WriteAllTextAsync(Path.Combine(workDir, $"gateway-{name}.pid"), gateway.Process.Id.ToString(CultureInfo.InvariantCulture));
                }
                await WaitReadyAsync(gateway.BaseUrl);
            }
            var following = DateTime.UtcNow.AddSeconds(30);
            while (ari.ConnectedClients < instanceCount)
            {
                if (DateTime.UtcNow > following)
                {
                    throw new TimeoutException($"{ari.ConnectedClients} of {instanceCount} gateways follow the ARI server");
                }
                await Task.Delay(50);
            }

            var samples = new List<double>();
            var roundSamples = new List<double>();
            // The same samples by the instance the client is connected to.
            var instanceSamples = gateways.Select(_ => new List<double>()).ToArray();
            var instanceRoundSamples = gateways.Select(_ => new List<double>()).ToArray();
            var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Id, string State)>();
            var received = 0;
            var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
            var connections = new List<LightHubClient>();
            for (var i = 0; i < clientCount; i++)
            {
                var instance = i % instanceCount;
                var connection = new LightHubClient(new Uri($"{gateways[instance].BaseUrl}/hubs/calls"), ApiKey);
                await connection.StartAsync(["1008"], (id, state) =>
                {
                    var now = Stopwatch.GetTimestamp();
                    seen.Enqueue((id, state));
                    if (state == "ringing" && sentAt.TryGetValue(id, out var sent))
                    {
                        var latency = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
                        lock (samples)
                        {
                            roundSamples.Add(latency);
                            instanceRoundSamples[instance].Add(latency);
                        }
                    }
                    Interlocked.Increment(ref received);
                });
                connections.Add(connection);
            }
            Console.WriteLine($"{clientCount} clients connected ({string.Join(", ", gateways.Select((g, i) => $"{g.Name}: {Enumerable.Range(0, clientCount).Count(c => c % instanceCount == i)}, RSS {Rss(g.Process)} MB"))})");

            var callerNumbers = new[] { "09123456789", "12345678", "02112345678", "+989121112233", "09351234567", "09350000001", "02188776655" };
            var peakRss = new long[instanceCount];
            var cpuShares = gateways.Select(_ => new List<double>()).ToArray(); // of one core, in the summary's rounds
            for (var round = 0; round < rounds; round++)
            {
                var gatewayCpu = gateways.Select(g => CpuTime(g.Process)).ToArray();
                var runnerCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var machine = MachineTicks();
                var roundStart = Stopwatch.GetTimestamp();
                var start = Stopwatch.GetTimestamp();
                for (var c = 0; c < calls; c++)
                {
                    var callId = $"{round + 10}{c:D4}.{c * 2}";
                    var legId = $"{round + 10}{c:D4}.{c * 2 + 1}";
                    var number = callerNumbers[c % callerNumbers.Length];
                    // Spread the calls evenly over the window, like a burst of real callers.
                    var due = start + (long)(window.TotalSeconds * Stopwatch.Frequency * c / calls);
                    // Sleep, not spin: on two cores a spinning sender would starve the gateway it measures.
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                    await ari.SendFrameAsync(Frames.ChannelCreated(callId, "PJSIP/provider-" + callId, number, "Ring"));
                    sentAt[callId] = Stopwatch.GetTimestamp();
                    await ari.SendFrameAsync(Frames.Dial(callId, number, legId, "PJSIP/1008-" + legId));
                }
                // Every call gives each client two messages: ringing, then the end after the hang-up.
                var expected = (2 * round + 1) * calls * clientCount;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (Volatile.Read(ref received) < expected && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10);
                }
                for (var i = 0; i < instanceCount; i++)
                {
                    peakRss[i] = Math.Max(peakRss[i], Rss(gateways[i].Process));
                }
                lock (samples)
                {
                    roundSamples.Sort();
                    var wall = Stopwatch.GetElapsedTime(roundStart).TotalSeconds;
                    var cpu = gateways.Select((g, i) => (CpuTime(g.Process) - gatewayCpu[i]).TotalSeconds / wall).ToArray();
                    var perInstance = instanceCount == 1 ? "" : string.Join("", gateways.Select((g, i) =>
                    {
                        instanceRoundSamples[i].Sort();
                        return string.Create(CultureInfo.InvariantCulture, $"{g.Name}: p50={Percentile(instanceRoundSamples[i], 0.50):F2}ms p99={Percentile(instanceRoundSamples[i], 0.99):F2}ms; ");
                    }));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round + 1}{(round < warmupRounds ? " (warm-up)" : "")}: p50={Percentile(roundSamples, 0.50):F2}ms p90={Percentile(roundSamples, 0.90):F2}ms p99={Percentile(roundSamples, 0.99):F2}ms max={roundSamples[^1]:F2}ms {perInstance}" +
                        $"cpu {string.Join(" ", gateways.Select((g, i) => $"{g.Name}={cpu[i]:P0}"))} runner={(Process.GetCurrentProcess().TotalProcessorTime - runnerCpu).TotalSeconds / wall:P0} of one core, machine busy={MachineBusy(machine, MachineTicks()):P0} of {Environment.ProcessorCount} cores, over {wall:F1}s"));
                    if (round >= warmupRounds)
                    {
                        samples.AddRange(roundSamples);
                        for (var i = 0; i < instanceCount; i++)
                        {
                            instanceSamples[i].AddRange(instanceRoundSamples[i]);
                            cpuShares[i].Add(cpu[i]);
                        }
                    }
                    roundSamples.Clear();
                    foreach (var list in instanceRoundSamples)
                    {
                        list.Clear();
                    }
                }
                // Hang every call up so the next round starts from an idle gateway.
                for (var c = 0; c < calls; c++)
                {
                    await ari.SendFrameAsync(Frames.Destroyed($"{round + 10}{c:D4}.{c * 2 + 1}", "PJSIP/1008-x", 16));
                    await ari.SendFrameAsync(Frames.Destroyed($"{round + 10}{c:D4}.{c * 2}", "PJSIP/provider-x", 16));
                }
                var endDeadline = DateTime.UtcNow.AddSeconds(60);
                while (Volatile.Read(ref received) < expected + calls * clientCount && DateTime.UtcNow < endDeadline)
                {
                    await Task.Delay(10);
                }
            }

            // Each call: every client got its ringing and its end, nothing more.
            foreach (var g in seen.GroupBy(x => x.Id).Where(g => g.Count() != 2 * clientCount || !g.Any(x => x.State == "ringing") || !sentAt.ContainsKey(g.Key)))
            {
                Console.WriteLine($"  anomaly: {g.Key}: {string.Join(", ", g.Select(x => x.State))}");
            }
            Console.WriteLine("  states: " + string.Join(", ", seen.GroupBy(x => x.State).Select(g => $"{g.Key}={g.Count()}")));
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"clients={clientCount} calls/round={calls} window={window.TotalMilliseconds}ms rounds={rounds} (warm-up {warmupRounds}) samples={samples.Count} " +
                $"p50={Percentile(samples, 0.50):F2}ms p90={Percentile(samples, 0.90):F2}ms p99={Percentile(samples, 0.99):F2}ms max={samples[^1]:F2}ms " +
                $"gateway peak RSS={string.Join("+", peakRss)} MB"));
            for (var i = 0; i < instanceCount; i++)
            {
                instanceSamples[i].Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {gateways[i].Name}: samples={instanceSamples[i].Count} p50={Percentile(instanceSamples[i], 0.50):F2}ms p90={Percentile(instanceSamples[i], 0.90):F2}ms p99={Percentile(instanceSamples[i], 0.99):F2}ms " +
                    $"cpu per round={(cpuShares[i].Count == 0 ? "-" : $"{cpuShares[i].Min():P0} to {cpuShares[i].Max():P0} (mean {cpuShares[i].Average():P0})")} of one core, peak RSS={peakRss[i]} MB"));
            }
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
            return samples.Count == (rounds - warmupRounds) * calls * clientCount ? 0 : 1;
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                gateway.Process.Kill(entireProcessTree: true);
                gateway.Process.Dispose();
            }
        }
    }

    private sealed record Gateway(string Name, string BaseUrl, Process Process);

    private static Process StartGateway(string dll, string connectionString, TestAriServer ari, int port, string name, string? redis, string? workDir)
    {
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = start.Environment;
        // GATEWAY_DOTNET_X=v sets the runtime's DOTNET_X=v for the gateway only (e.g. GATEWAY_DOTNET_TieredPGO=0).
        foreach (var (variable, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => ((string)e.Key, (string?)e.Value)))
        {
            if (variable.StartsWith("GATEWAY_DOTNET_", StringComparison.Ordinal))
            {
                env[variable["GATEWAY_".Length..]] = value;
            }
        }
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Database__Provider"] = "MySql";
        env["ConnectionStrings__Gateway"] = connectionString;
        env["Serilog__MinimumLevel__Default"] = "Warning";
        env["Asterisk__Ari__Enabled"] = "true";
        env["Asterisk__Ari__BaseUrl"] = ari.BaseUrl.ToString();
        env["Asterisk__Ari__Username"] = ari.Username;
        env["Asterisk__Ari__Password"] = ari.Password;
        env["Auth__ApiKeys__0__Name"] = "bench";
        env["Auth__ApiKeys__0__Key"] = ApiKey;
        env["Auth__ApiKeys__0__Extensions__0"] = "*";
        if (workDir is not null)
        {
            // Not the build folder, and one journal per instance.
            env["Gateway__CallLogJournal"] = Path.Combine(workDir, $"calls-{name}.jsonl");
        }
        if (redis is not null)
        {
            env["Asterisk__Ari__Application"] = "callerid-gateway-" + name;
            env["Scaling__InstanceName"] = name;
            env["Scaling__Redis__Configuration"] = redis;
        }
        var prefix = redis is null ? "gateway: " : $"gateway {name}: ";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine(prefix + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(prefix + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(string baseUrl)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync($"{baseUrl}/health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the gateway did not start");
    }

    /// <summary>User + system CPU of another process (/proc/pid/stat, in clock ticks of 10 ms).</summary>
    private static TimeSpan CpuTime(Process process)
    {
        var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Busy and total clock ticks of all cores (/proc/stat's first line; idle and iowait are not busy).</summary>
    private static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest is counted in user)
        return (total - fields[3] - fields[4], total);
    }

    private static double MachineBusy((long Busy, long Total) before, (long Busy, long Total) after) =>
        after.Total == before.Total ? 0 : (double)(after.Busy - before.Busy) / (after.Total - before.Total);

    private static long Rss(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Frames shaped exactly like the captures (tests/fixtures/asterisk/22.10.1-pjsip/answered).</summary>
    private static class Frames
    {
        private static string Channel(string id, string name, string number, string state, string connected = "") =>
            $$"""{"id":"{{id}}","name":"{{name}}","state":"{{state}}","protocol_id":"","caller":{"name":"","number":"{{number}}"},"connected":{"name":"","number":"{{connected}}"},"accountcode":"","dialplan":{"context":"from-pstn","exten":"1008","priority":2,"app_name":"Dial","app_data":"PJSIP/1008,20"},"creationtime":"2026-11-24T00:56:17.563+0000","language":"en"}""";

        public static string ChannelCreated(string id, string name, string number, string state) =>
            $$"""{"type":"ChannelCreated","timestamp":"2026-11-24T00:56:17.564+0000","channel":{{Channel(id, name, number, state)}},"asterisk_id":"02:fc:00:00:00:01","application":"callerid-gateway"}""";

        public static string Dial(string callerId, string number, string legId, string legName) =>
            $$"""{"type":"Dial","timestamp":"2026-11-24T00:56:17.569+0000","dialstatus":"","forward":"","dialstring":"1008","caller":{{Channel(callerId, "PJSIP/provider-" + callerId, number, "Ring")}},"peer":{{Channel(legId, legName, "1008", "Down", number)}},"asterisk_id":"02:fc:00:00:00:01","application":"callerid-gateway"}""";

        public static string Destroyed(string id, string name, int cause) =>
            $$"""{"type":"ChannelDestroyed","timestamp":"2026-11-24T00:56:22.6+0000","cause":{{cause}},"cause_txt":"Normal Clearing","channel":{{Channel(id, name, "", "Up")}},"asterisk_id":"02:fc:00:00:00:01","application":"callerid-gateway"}""";
    }
}
