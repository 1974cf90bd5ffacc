using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// ARI and AMI as the gateway would use them: reachable, credentials accepted, the events they
/// need, and every monitored extension present on the PBX and reachable now. ARI asks
/// <c>GET /asterisk/info</c> and <c>GET /endpoints</c> and opens the events WebSocket (under an
/// application name of its own, so a running gateway keeps its subscription); AMI logs in once with
/// the gateway's event classes, runs <c>CoreShowChannels</c> (the resync after a reconnect, which
/// needs <c>write = reporting</c>) and asks <c>PJSIPShowEndpoints</c>, then <c>SIPpeers</c> (chan_sip, Issabel).
/// </summary>
internal sealed class AsteriskDoctor(AriSourceOptions ari, AmiSourceOptions ami, MonitoredExtensions monitored, IHttpClientFactory httpClients)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <returns>The PBX's endpoints (from ARI, else AMI), or null when neither answered.</returns>
    public async Task<IReadOnlyList<PbxEndpoint>?> CheckAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        var ariEndpoints = ari.Enabled ? await CheckAriAsync(report, cancellationToken) : Off(report, "ARI", AriSourceOptions.Section);
        var amiEndpoints = ami.Enabled ? await CheckAmiAsync(report, cancellationToken) : Off(report, "AMI", AmiSourceOptions.Section);
        // Once is enough: ARI when it answered, else AMI.
        if (ariEndpoints is not null)
        {
            PbxEndpoint.CheckExtensions(report, monitored.All, ariEndpoints, "ARI GET /endpoints");
            return ariEndpoints;
        }
        else if (amiEndpoints is not null)
        {
            PbxEndpoint.CheckExtensions(report, monitored.All, amiEndpoints, "AMI");
            return amiEndpoints;
        }
        else if (!ari.Enabled && !ami.Enabled)
        {
            report.Warn("Asterisk", "neither ARI nor AMI is enabled: only calls that the dialplan hooks report are shown.",
                "Set Asterisk:Ari:Enabled or Asterisk:Ami:Enabled to true (docs/asterisk-setup.md).");
        }
        return null;
    }

    private static IReadOnlyList<PbxEndpoint>? Off(DoctorReport report, string name, string section)
    {
        report.Skip(name, $"off ({section}:Enabled is false).");
        return null;
    }

    private async Task<IReadOnlyList<PbxEndpoint>?> CheckAriAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        var options = new AriClientOptions { BaseUrl = ari.BaseUrl, Username = ari.Username, Password = ari.Password, Application = ari.Application };
        using var http = httpClients.CreateClient(nameof(AsteriskDoctor));
        http.Timeout = Timeout;
        var rest = new AriRestClient(http, options);
        var where = new UriBuilder(ari.BaseUrl) { UserName = "", Password = "" }.Uri;
        try
        {
            var info = await rest.GetAsteriskInfoAsync(cancellationToken);
            report.Pass("ARI", $"Asterisk {info.System?.Version} at {where} accepted user '{ari.Username}'.");
            var endpoints = await rest.GetEndpointsAsync(cancellationToken);
            await CheckAriEventsAsync(report, options, cancellationToken);
            return [.. endpoints.Select(e => new PbxEndpoint($"{e.Technology}/{e.Resource}", e.Resource, AriReachable(e.State), e.State ?? "unknown"))];
        }
        catch (AsteriskAuthenticationException e)
        {
            report.Fail("ARI", e.Message, "Set Asterisk:Ari:Username and Asterisk:Ari:Password to a user of ari.conf (Asterisk CLI: ari show users).");
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            report.Fail("ARI", $"{where} does not answer: {e.GetBaseException().Message}.",
                "Check Asterisk:Ari:BaseUrl, and that Asterisk's HTTP server is on and bound to an address this host reaches (http.conf; CLI: http show status).");
        }
        catch (HttpRequestException e)
        {
            report.Fail("ARI", e.Message, "Check that ARI is enabled (ari.conf enabled = yes) and that Asterisk:Ari:BaseUrl ends in /ari.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            report.Fail("ARI", $"{where} did not answer within {Timeout.TotalSeconds:0} s.", "Check the firewall between this host and the PBX, and Asterisk:Ari:BaseUrl.");
        }
        return null;
    }

    /// <summary>
    /// Opens the events WebSocket the way the gateway does, as application <c>{Application}-doctor</c>:
    /// the same application name would take the events away from a gateway running now.
    /// </summary>
    private static async Task CheckAriEventsAsync(DoctorReport report, AriClientOptions gateway, CancellationToken cancellationToken)
    {
        var options = new AriClientOptions
        {
            BaseUrl = gateway.BaseUrl,
            Username = gateway.Username,
            Password = gateway.Password,
            Application = gateway.Application + "-doctor",
            EventTypes = AriCallFacts.WantedEvents,
            ConnectTimeout = Timeout,
        };
        var opened = new OpenedHandler();
        var stream = new AriEventStream(options, opened);
        await RunUntilFirstAnswerAsync(stream, opened.Done, cancellationToken);

        var where = new UriBuilder(gateway.BaseUrl) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/') + "/events";
        if (opened.Done.IsCompleted)
        {
            report.Pass("ARI events", $"the events WebSocket {where} opens (tried as application '{options.Application}'; the gateway subscribes as '{gateway.Application}').");
        }
        else
        {
            report.Fail("ARI events", $"the events WebSocket {where} did not open: {stream.LastError?.Message ?? "no answer"}.",
                "Check that res_http_websocket is loaded (CLI: module show like websocket) and that any proxy between this host and Asterisk passes WebSocket upgrades.");
        }
    }

    /// <summary>
    /// Runs <paramref name="connection"/> until <paramref name="answered"/> completes, its first failure, or
    /// twice the timeout. The connection retries on its own; its first answer is the doctor's.
    /// </summary>
    private static async Task RunUntilFirstAnswerAsync(AsteriskConnection connection, Task answered, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = connection.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + Timeout + Timeout;
        while (!answered.IsCompleted && connection.LastError is null && !running.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(answered, Task.Delay(50, cancellationToken));
        }
        await stop.CancelAsync();
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private sealed class OpenedHandler : IAriEventHandler
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public ValueTask OnConnectedAsync(CancellationToken cancellationToken)
        {
            _done.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnEventAsync(AriEvent evt, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static bool? AriReachable(string? state) => state?.ToLowerInvariant() switch
    {
        "online" => true,
        "offline" => false,
        _ => null,
    };

    private async Task<IReadOnlyList<PbxEndpoint>?> CheckAmiAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        var options = new AmiClientOptions
        {
            Host = ami.Host,
            Port = ami.Port,
            Username = ami.Username,
            Secret = ami.Secret,
            // EventMask left at the client's default, call,agent: the classes the gateway's AMI source asks for.
            ConnectTimeout = Timeout,
            ActionTimeout = Timeout,
        };
        var probe = new AmiProbe();
        var connection = new AmiConnection(options, probe);
        await RunUntilFirstAnswerAsync(connection, probe.Done, cancellationToken);

        var where = $"{ami.Host}:{ami.Port}";
        if (probe.Done.IsCompleted)
        {
            var (endpoints, resyncRefusal) = await probe.Done;
            report.Pass("AMI", $"Asterisk Manager {connection.AmiVersion} at {where} accepted user '{ami.Username}'.");
            if (resyncRefusal is null)
            {
                report.Pass("AMI permissions", $"user '{ami.Username}' may run CoreShowChannels (the resync after a reconnect).");
            }
            else
            {
                report.Fail("AMI permissions", $"user '{ami.Username}' may not run CoreShowChannels ({resyncRefusal}): calls already ringing when the gateway (re)connects would not show.",
                    "Give the user write = reporting in manager.conf (as asterisk-config/manager.conf does), then: manager reload.");
            }
            // Asterisk answers no action with a user's read classes (only the CLI's 'manager show user' shows them).
            report.Skip("AMI events", $"the gateway asks for the event classes {options.EventMask}; Asterisk does not say over AMI whether user '{ami.Username}' may read them. "
                + "manager.conf needs read = call,agent (CLI: manager show user " + ami.Username + "); the dashboard's diagnostics page shows the last events seen per extension.");
            return endpoints;
        }
        if (connection.State == ConnectionState.AuthenticationFailed || connection.LastError?.Message.Contains("refused the AMI login", StringComparison.Ordinal) == true)
        {
            report.Fail("AMI", connection.LastError?.Message ?? "login refused.",
                "Set Asterisk:Ami:Username and Asterisk:Ami:Secret to a user of manager.conf whose permit= includes this host (CLI: manager show user NAME).");
        }
        else
        {
            report.Fail("AMI", $"{where} does not answer: {connection.LastError?.Message ?? "no answer"}.",
                "Check Asterisk:Ami:Host and Port, manager.conf (enabled = yes, port, bindaddr) and the firewall.");
        }
        return null;
    }

    /// <summary>
    /// Once logged in: runs the resync's action, and lists the endpoints (both channel drivers may be
    /// loaded: a PBX moving from chan_sip).
    /// </summary>
    private sealed class AmiProbe : IAmiEventHandler
    {
        private readonly TaskCompletionSource<(IReadOnlyList<PbxEndpoint> Endpoints, string? ResyncRefusal)> _done =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(IReadOnlyList<PbxEndpoint> Endpoints, string? ResyncRefusal)> Done => _done.Task;

        public async ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken)
        {
            string? resyncRefusal = null;
            try
            {
                await connection.SendEventListActionAsync(new AmiAction("CoreShowChannels"), cancellationToken);
            }
            catch (AmiActionException e)
            {
                resyncRefusal = e.Response["Message"] ?? "refused";
            }
            var endpoints = new List<PbxEndpoint>();
            foreach (var entry in await ListAsync(connection, "PJSIPShowEndpoints", cancellationToken))
            {
                if (entry.EventName == "EndpointList" && entry["ObjectName"] is { } name)
                {
                    var state = entry["DeviceState"] ?? "Unknown";
                    endpoints.Add(new PbxEndpoint("PJSIP/" + name, name, PjsipReachable(state), state));
                }
            }
            foreach (var entry in await ListAsync(connection, "SIPpeers", cancellationToken))
            {
                if (entry.EventName == "PeerEntry" && entry["ObjectName"] is { } name)
                {
                    var status = entry["Status"] ?? "UNKNOWN";
                    endpoints.Add(new PbxEndpoint("SIP/" + name, name, SipReachable(status, entry["IPaddress"]), status));
                }
            }
            _done.TrySetResult((endpoints, resyncRefusal));
        }

        public ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        /// <summary>An action the PBX does not know (its channel driver is not loaded) lists nothing.</summary>
        private static async Task<IReadOnlyList<AmiMessage>> ListAsync(AmiConnection connection, string action, CancellationToken cancellationToken)
        {
            try
            {
                return await connection.SendEventListActionAsync(new AmiAction(action), cancellationToken);
            }
            catch (AmiActionException)
            {
                return [];
            }
        }

        /// <summary>PJSIP's device state: <c>Unavailable</c> when no contact is registered or reachable.</summary>
        private static bool? PjsipReachable(string state) => state switch
        {
            "Unavailable" => false,
            "Unknown" or "Invalid" => null,
            _ => true,
        };

        /// <summary>chan_sip's status: <c>OK (5 ms)</c> with qualify, <c>UNREACHABLE</c>/<c>UNKNOWN</c>, or <c>Unmonitored</c> (then only the address tells).</summary>
        private static bool? SipReachable(string status, string? address) =>
            status.StartsWith("OK", StringComparison.OrdinalIgnoreCase) ? true
            : status.StartsWith("Unmonitored", StringComparison.OrdinalIgnoreCase) ? address is not (null or "" or "-none-")
            : false;
    }
}
