using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Kamailio as a SIP-over-WebSocket registrar and proxy for the browser-phone tests: a
/// generated config (digest auth from an in-memory table, no database, no TLS) in a temp folder, on
/// a free 127.0.0.1 port. The process is killed and the folder deleted on dispose, and by a watchdog
/// shell when the test process dies any other way. Never skipped: without Kamailio the tests fail
/// and say what to install.
/// </summary>
public sealed class KamailioServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/kamailio";

    private readonly Process _process;
    private readonly Process _watchdog;
    private readonly string _directory;
    private readonly StringBuilder _log;

    private KamailioServer(Process process, Process watchdog, string directory, int port, StringBuilder log)
    {
        _process = process;
        _watchdog = watchdog;
        _directory = directory;
        _log = log;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What JsSIP connects to.</summary>
    public string WebSocketUrl => $"ws://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The SIP domain: the listening address, as the notes found Kamailio needs (<c>alias</c>).</summary>
    public string Domain => "127.0.0.1";

    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>Starts Kamailio with these SIP users (name → password).</summary>
    public static async Task<KamailioServer> StartAsync(IReadOnlyDictionary<string, string> users)
    {
        if (!File.Exists(Binary) || !Directory.Exists("/usr/lib/x86_64-linux-gnu/kamailio/modules") && !Directory.Exists("/usr/lib/kamailio/modules")
            || !File.Exists("/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so") && !File.Exists("/usr/lib/kamailio/modules/websocket.so"))
        {
            throw new InvalidOperationException("The browser-phone tests need Debian's Kamailio with WebSocket support: apt-get install kamailio kamailio-websocket-modules");
        }
        var directory = Directory.CreateTempSubdirectory("callerid-kamailio-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "kamailio.cfg");
        await File.WriteAllTextAsync(config, Config(port, users));

        var watchdog = StartWatchdog(directory);
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "-f", config, "-DD", "-E", "-w", directory, "-Y", directory, "-m", "64", "-M", "8" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pid"), process.Id.ToString(CultureInfo.InvariantCulture));
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new KamailioServer(process, watchdog, directory, port, log);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                var text = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"Kamailio did not start on 127.0.0.1:{port}: {e.Message}\n{text}", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (!_watchdog.HasExited)
            {
                _watchdog.Kill(entireProcessTree: true);
            }
            _process.Dispose();
            _watchdog.Dispose();
        }
    }

    /// <summary>Kills Kamailio and deletes its folder once this test process is gone, however it went.</summary>
    private static Process StartWatchdog(string directory)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            tail --pid="$1" -f /dev/null
            server=$(cat "$2/server.pid" 2>/dev/null)
            if [ -n "$server" ]; then kill -TERM "$server"; sleep 1; kill -KILL "$server"; fi
            rm -rf -- "$2"
            """;
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", script, "callerid-kamailio-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), directory })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What the notes (WEBRTC-NOTES.md) found a WebSocket registrar and proxy needs.</summary>
    private static string Config(int port, IReadOnlyDictionary<string, string> users)
    {
        var table = string.Join("\n", users.Select(u => $"    $sht(users=>{u.Key}) = \"{u.Value}\";"));
        return $$"""
            #!KAMAILIO
            debug=2
            log_stderror=yes
            fork=yes
            children=2
            auto_aliases=no
            listen=tcp:127.0.0.1:{{port}}
            alias="127.0.0.1:{{port}}"
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
