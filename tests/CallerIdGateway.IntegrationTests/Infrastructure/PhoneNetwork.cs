using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A network namespace of the test's own with only <c>lo</c>, for the browser-phone tests: Debian's
/// Kamailio (a SIP-over-WebSocket registrar and proxy from a generated config: digest auth from an
/// in-memory table, no database, no TLS) and Chromium run inside it, so WebRTC media can reach
/// nothing but 127.0.0.1 of this namespace (outside it, Chromium's ICE also paired the host's
/// other addresses). The gateway on the host's 127.0.0.1 is bridged in on the same port (socat on
/// both sides of a unix socket in the folder).
/// <para>
/// One supervisor shell (<c>unshare --net</c>) owns it all: it brings <c>lo</c> up, starts Kamailio
/// and the bridges, and takes commands on its stdin. When stdin closes (dispose, or this test
/// process dying however it dies) it kills every process in the namespace and its bridges and
/// deletes the folder. Never skipped: without root, unshare, socat or Kamailio the tests fail and
/// say what is missing.
/// </para>
/// </summary>
public sealed class PhoneNetwork : IAsyncDisposable
{
    /// <summary>Kamailio's WebSocket port inside the namespace: every port there is free, and Kestrel's ephemeral ports are far above it.</summary>
    public const int SipPort = 5066;

    private const string Kamailio = "/usr/sbin/kamailio";

    private readonly Process _supervisor;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lines = new(0);
    private readonly Queue<string> _replies = new();

    private PhoneNetwork(Process supervisor, string directory)
    {
        _supervisor = supervisor;
        _directory = directory;
    }

    /// <summary>What JsSIP connects to (inside the namespace).</summary>
    public static string WebSocketUrl => $"ws://127.0.0.1:{SipPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The SIP domain: the listening address, as the notes found Kamailio needs (<c>alias</c>).</summary>
    public static string Domain => "127.0.0.1";

    /// <summary>A launcher for Playwright's <c>ExecutablePath</c>: Chromium, entered into the namespace (its debugging pipe is inherited).</summary>
    public string ChromiumExecutable => Path.Combine(_directory, "chromium-in-namespace");

    /// <summary>Kamailio's log so far (for a failing test's output).</summary>
    public string KamailioLog
    {
        get
        {
            try
            {
                using var stream = new FileStream(Path.Combine(_directory, "kamailio.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                return text[Math.Max(0, text.Length - 4000)..];
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    /// <summary>Makes the namespace and starts Kamailio in it with these SIP users (name → password).</summary>
    public static async Task<PhoneNetwork> StartAsync(IReadOnlyDictionary<string, string> users, string chromiumPath)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The browser-phone tests need Linux network namespaces.");
        }
        Require(Kamailio, "kamailio kamailio-websocket-modules");
        Require("/usr/bin/unshare", "util-linux");
        Require("/usr/bin/nsenter", "util-linux");
        Require("/usr/bin/socat", "socat");
        Require("/usr/sbin/ip", "iproute2");
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so") && !File.Exists("/usr/lib/kamailio/modules/websocket.so"))
        {
            throw new InvalidOperationException("The browser-phone tests need Kamailio's WebSocket module: apt-get install kamailio-websocket-modules");
        }

        var directory = Directory.CreateTempSubdirectory("callerid-phone-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "kamailio.cfg"), Config(users));
        var launcher = Path.Combine(directory, "chromium-in-namespace");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec nsenter --net=\"$(cat '{directory}/netns')\" '{chromiumPath}' \"$@\"\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);

        var start = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--net", "--", "/bin/bash", "-c", SupervisorScript, "callerid-phone-network", directory, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), SipPort.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        var network = new PhoneNetwork(Process.Start(start)!, directory);
        network._supervisor.OutputDataReceived += (_, e) => network.Received(e.Data, reply: true);
        network._supervisor.ErrorDataReceived += (_, e) => network.Received(e.Data, reply: false);
        network._supervisor.BeginOutputReadLine();
        network._supervisor.BeginErrorReadLine();
        try
        {
            var ready = await network.ReplyAsync(TimeSpan.FromSeconds(30));
            if (ready != "ready")
            {
                throw new InvalidOperationException(
                    $"The browser-phone tests run Kamailio and Chromium in a network namespace of their own (unshare --net needs root or CAP_SYS_ADMIN; CI runs as root), and it could not be made: {ready}\n{network.KamailioLog}");
            }
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
        return network;
    }

    /// <summary>Makes the gateway on the host's 127.0.0.1:<paramref name="port"/> answer on the same address inside the namespace.</summary>
    public Task BridgeAsync(int port) => CommandAsync($"bridge {port.ToString(CultureInfo.InvariantCulture)}", "bridged");

    /// <summary>Stops Kamailio (TERM; its registrations are in memory and go with it): a network drop for the phones.</summary>
    public Task StopKamailioAsync() => CommandAsync("stop-kamailio", "stopped");

    /// <summary>Starts Kamailio again, from the same config, and waits until it listens.</summary>
    public Task StartKamailioAsync() => CommandAsync("start-kamailio", "started");

    public async ValueTask DisposeAsync()
    {
        try
        {
            // EOF on its stdin is the supervisor's signal to clean up (as when this process dies).
            _supervisor.StandardInput.Close();
            await _supervisor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            if (!_supervisor.HasExited)
            {
                _supervisor.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _supervisor.Dispose();
        }
    }

    private string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    private async Task CommandAsync(string command, string expected)
    {
        await _supervisor.StandardInput.WriteLineAsync(command);
        await _supervisor.StandardInput.FlushAsync();
        var reply = await ReplyAsync(TimeSpan.FromSeconds(30));
        if (reply != expected)
        {
            throw new InvalidOperationException($"{command}: {reply}\n{Output}\n{KamailioLog}");
        }
    }

    private void Received(string? line, bool reply)
    {
        if (line is null)
        {
            if (reply)
            {
                // Its stdout closed: it exited (unshare refused, a start failed). Whoever waits hears it now.
                lock (_output)
                {
                    _replies.Enqueue(Exited);
                }
                _lines.Release();
            }
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            if (reply)
            {
                _replies.Enqueue(line);
            }
        }
        if (reply)
        {
            _lines.Release();
        }
    }

    private async Task<string> ReplyAsync(TimeSpan timeout)
    {
        if (!await _lines.WaitAsync(timeout))
        {
            return _supervisor.HasExited ? $"the supervisor exited ({_supervisor.ExitCode})" : $"no answer within {timeout.TotalSeconds} s";
        }
        string reply;
        lock (_output)
        {
            reply = _replies.Dequeue();
        }
        if (reply == Exited)
        {
            await _supervisor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            return $"the supervisor exited ({_supervisor.ExitCode}): {Output.Trim()}";
        }
        return reply;
    }

    private const string Exited = "\u0000exited";

    private static void Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The browser-phone tests need {path}: apt-get install {package}");
        }
    }

    /// <summary>
    /// Runs as root in the new namespace ($1: the folder, $2: this test process, whose namespace is
    /// the host's, $3: Kamailio's port). Replies one line per command on stdout; cleans up on EOF or a signal.
    /// </summary>
    private const string SupervisorScript = """
        set -u
        dir=$1 host=$2 sip_port=$3
        netns=$(readlink /proc/self/ns/net)
        echo "/proc/$$/ns/net" > "$dir/netns"
        kamailio_pid=
        log() { echo "$*" >&2; }
        wait_port() { for _ in $(seq 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
        start_kamailio() {
          /usr/sbin/kamailio -f "$dir/kamailio.cfg" -DD -E -w "$dir" -Y "$dir" -m 64 -M 8 >>"$dir/kamailio.log" 2>&1 </dev/null &
          kamailio_pid=$!
          wait_port "$sip_port"
        }
        stop_kamailio() {
          if [ -n "$kamailio_pid" ]; then kill -TERM "$kamailio_pid" 2>/dev/null; wait "$kamailio_pid" 2>/dev/null; fi
          kamailio_pid=
        }
        cleanup() {
          trap - TERM INT HUP
          stop_kamailio
          # Everything left in the namespace (Chromium, if the test process died before closing it), then the bridges.
          for p in /proc/[0-9]*; do
            pid=${p#/proc/}
            [ "$pid" = "$$" ] && continue
            [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$netns" ] && kill -KILL "$pid" 2>/dev/null
          done
          for pid in $(jobs -p); do pkill -KILL -P "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null; done
          wait 2>/dev/null
          rm -rf -- "$dir"
        }
        trap 'cleanup; exit 0' TERM INT HUP
        ip link set lo up || { echo "cannot bring lo up in the new namespace"; cleanup; exit 1; }
        start_kamailio || { echo "Kamailio did not listen on 127.0.0.1:$sip_port"; cleanup; exit 1; }
        echo ready
        while read -r command argument; do
          case $command in
            bridge)
              sock="$dir/gateway-$argument.sock"
              nsenter --net=/proc/$host/ns/net socat UNIX-LISTEN:"$sock",fork TCP:127.0.0.1:"$argument" </dev/null &
              for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
              socat TCP-LISTEN:"$argument",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"$sock" </dev/null &
              if wait_port "$argument"; then echo bridged; else echo "the bridge to 127.0.0.1:$argument did not listen"; fi ;;
            stop-kamailio) stop_kamailio; echo stopped ;;
            start-kamailio) if start_kamailio; then echo started; else echo "Kamailio did not listen again"; fi ;;
            *) echo "unknown command: $command" ;;
          esac
        done
        cleanup
        """;

    /// <summary>What the notes (WEBRTC-NOTES.md) found a WebSocket registrar and proxy needs.</summary>
    private static string Config(IReadOnlyDictionary<string, string> users)
    {
        var table = string.Join("\n", users.Select(u => $"    $sht(users=>{u.Key}) = \"{u.Value}\";"));
        return $$"""
            #!KAMAILIO
            debug=2
            log_stderror=yes
            fork=yes
            children=2
            auto_aliases=no
            listen=tcp:127.0.0.1:{{SipPort}}
            alias="127.0.0.1:{{SipPort}}"
            tcp_accept_no_cl=yes
            tcp_connection_lifetime=3605

            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "maxfwd.so"
            loadmodule "textops.so"
            loadmodule "siputils.so"
            loadmodule "usrloc.so"
            loadmodule "registrar.so"
            loadmodule "nathelper.so"
            loadmodule "xhttp.so"
            loadmodule "websocket.so"
            loadmodule "htable.so"
            loadmodule "auth.so"

            modparam("usrloc", "db_mode", 0)
            modparam("nathelper", "received_avp", "$avp(RECEIVED)")
            modparam("registrar", "received_avp", "$avp(RECEIVED)")
            modparam("htable", "htable", "users=>size=4;")

            event_route[htable:mod-init] {
            {{table}}
            }

            request_route {
                if (!mf_process_maxfwd_header("10")) {
                    sl_send_reply("483", "Too Many Hops");
                    exit;
                }
                if (proto == WS || proto == WSS) {
                    force_rport();
                    if (is_method("REGISTER")) {
                        fix_nated_register();
                    } else {
                        add_contact_alias();
                    }
                }
                if (has_totag()) {
                    if (loose_route()) {
                        handle_ruri_alias();
                        t_relay();
                        exit;
                    }
                    if (is_method("ACK") && t_check_trans()) {
                        t_relay();
                    }
                    exit;
                }
                if (is_method("CANCEL")) {
                    if (t_check_trans()) {
                        t_relay();
                    }
                    exit;
                }
                if (is_method("REGISTER")) {
                    # A user the table does not know is refused outright, as a PBX refuses an endpoint it will not serve.
                    if ($sht(users=>$fU) == $null) {
                        sl_send_reply("403", "Forbidden");
                        exit;
                    }
                    if (!pv_auth_check("$fd", "$sht(users=>$fU)", "0", "1")) {
                        auth_challenge("$fd", "0");
                        exit;
                    }
                    save("location");
                    exit;
                }
                record_route();
                if (!lookup("location")) {
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                handle_ruri_alias();
                t_relay();
            }

            onreply_route {
                if (proto == WS || proto == WSS) {
                    add_contact_alias();
                }
            }

            event_route[xhttp:request] {
                if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
                    if (ws_handle_handshake()) {
                        exit;
                    }
                }
                xhttp_reply("404", "Not Found", "", "");
            }
            """;
    }
}
