using System.Text.Json;
using System.Text.RegularExpressions;
using CallerIdGateway.Calls;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Sources;
using CallerIdGateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>
/// asterisk-config/ works as written with the gateway's defaults (DESIGN.md "Defaults that
/// asterisk-config/ and the gateway share"): when one side changes a default, these fail until the other follows.
/// </summary>
public partial class AsteriskConfigTests
{
    private static readonly AriSourceOptions Ari = new();
    private static readonly AmiSourceOptions Ami = new();
    private static readonly Dictionary<string, string> Env = Repository.EnvFile(".env.example");

    private static string[] MonitoredByDefault()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddCalls();
        return builder.Services.BuildServiceProvider().GetRequiredService<IOptions<GatewayOptions>>().Value.MonitoredExtensions;
    }

    [Fact]
    public void Ari_is_served_where_the_gateway_looks_for_it()
    {
        var http = Repository.AsteriskConfig("http.conf").Single("general");

        Assert.Equal("yes", http["enabled"]);
        Assert.Equal(Ari.BaseUrl.Host, http["bindaddr"]);
        Assert.Equal(Ari.BaseUrl.Port.ToString(), http["bindport"]);
        Assert.Equal("/ari", Ari.BaseUrl.AbsolutePath);
    }

    [Fact]
    public void The_ari_user_is_the_gateways_with_the_placeholder_password_of_the_stack()
    {
        var ari = Repository.AsteriskConfig("ari.conf");

        Assert.Equal("yes", ari.Single("general")["enabled"]);
        var user = ari.Single(Ari.Username);
        Assert.Equal("user", user["type"]);
        Assert.Equal(Env["ARI_PASSWORD"], user["password"]);
        Assert.Equal("plain", user["password_format"]);
    }

    [Fact]
    public void The_ami_user_is_the_gateways_on_its_host_and_port_with_least_privilege()
    {
        var manager = Repository.AsteriskConfig("manager.conf");
        var general = manager.Single("general");
        var user = manager.Single(Ami.Username);

        Assert.Equal("yes", general["enabled"]);
        Assert.Equal(Ami.Host, general["bindaddr"]);
        Assert.Equal(Ami.Port.ToString(), general["port"]);
        Assert.Equal(Env["AMI_SECRET"], user["secret"]);
        Assert.Equal(["agent", "call"], Classes(user["read"]));
        Assert.Equal(["reporting"], Classes(user["write"])); // CoreShowChannels needs system or reporting; nothing writes
        Assert.Contains(user.All("permit"), p => p.StartsWith(Ami.Host + "/", StringComparison.Ordinal));
        Assert.Contains("0.0.0.0/0.0.0.0", user.All("deny"));

        static string[] Classes(string? list) => [.. (list ?? "").Split(',', StringSplitOptions.TrimEntries).Order()];
    }

    [Fact]
    public void Every_monitored_extension_by_default_is_a_pjsip_endpoint_and_rings_from_the_trunk_and_the_phones()
    {
        var pjsip = Repository.AsteriskConfig("pjsip.conf");
        var extensions = Repository.AsteriskConfig("extensions.conf");

        Assert.Equal(["1008"], MonitoredByDefault());
        foreach (var extension in MonitoredByDefault())
        {
            Assert.NotNull(pjsip.OfType(extension, "endpoint"));
            Assert.NotNull(pjsip.OfType(extension, "aor"));
            Assert.NotNull(pjsip.OfType(extension, "auth"));
            Assert.Contains(Extens(extensions, "from-pstn"), e => e == extension);
            Assert.Contains(Extens(extensions, "internal"), e => e == extension);
        }
    }

    [Fact]
    public void Extension_1008_has_a_desk_phone_and_a_browser_phone()
    {
        var pjsip = Repository.AsteriskConfig("pjsip.conf");

        var desk = pjsip.OfType("1008", "endpoint")!;
        Assert.Null(desk["webrtc"]);
        Assert.True(int.Parse(pjsip.OfType("1008", "aor")!["max_contacts"]!) >= 1);
        var browser = pjsip.OfType("1008-web", "endpoint")!;
        Assert.Equal("yes", browser["webrtc"]);
        Assert.Equal("yes", browser["dtls_auto_generate_cert"]);
        Assert.Contains(pjsip.Sections, s => s["type"] == "transport" && s["protocol"] == "ws");
        Assert.Contains(pjsip.Sections, s => s["type"] == "transport" && s["protocol"] == "wss");
        Assert.NotNull(pjsip.OfType("1009", "endpoint"));
    }

    [Fact]
    public void The_example_trunk_registers_is_identified_and_lands_in_from_pstn()
    {
        var pjsip = Repository.AsteriskConfig("pjsip.conf");

        var trunk = pjsip.OfType("provider", "endpoint")!;
        Assert.Equal("from-pstn", trunk["context"]);
        Assert.Equal("yes", trunk["trust_id_inbound"]);
        Assert.NotNull(pjsip.OfType("provider", "identify"));
        Assert.Contains(pjsip.Sections, s => s["type"] == "registration" && s["endpoint"] == "provider");
        Assert.NotNull(Repository.AsteriskConfig("extensions.conf").Single("from-pstn"));
    }

    [Fact]
    public void The_queues_have_the_agent_directly_and_as_a_local_member_whose_context_exists()
    {
        var queues = Repository.AsteriskConfig("queues.conf");
        var extensions = Repository.AsteriskConfig("extensions.conf");

        Assert.Contains(queues.Single("sales").All("member"), m => m.StartsWith("PJSIP/1008,", StringComparison.Ordinal));
        var local = Assert.Single(queues.Single("sales-local").All("member"));
        var match = LocalMember().Match(local);
        Assert.True(match.Success, local);
        Assert.Contains(Extens(extensions, match.Groups["context"].Value), e => e == match.Groups["exten"].Value);
    }

    [Fact]
    public void The_dialplan_hooks_use_the_gateways_routes_port_and_secret_placeholder()
    {
        var text = Repository.Read("asterisk-config/extensions.conf");
        var globals = Repository.AsteriskConfig("extensions.conf").Single("globals");
        var gateway = new Uri(globals["GATEWAY_URL"]!);
        var launch = JsonDocument.Parse(Repository.Read("src/CallerIdGateway/Properties/launchSettings.json"));
        var defaultUrl = new Uri(launch.RootElement.GetProperty("profiles").GetProperty("CallerIdGateway").GetProperty("applicationUrl").GetString()!);

        Assert.True(gateway.IsLoopback, "the gateway's default allow-list is loopback only");
        Assert.Equal(defaultUrl.Port, gateway.Port);
        Assert.Equal(Env["DIALPLAN_SECRET"], globals["GATEWAY_SECRET"]);
        var routes = HookUrl().Matches(text).Select(m => m.Groups["path"].Value).ToHashSet();
        string[] known = [DialplanApi.CallerNamePath, .. Enum.GetValues<CallHookEvent>().Select(DialplanApi.CallPath)];
        Assert.Subset(known.ToHashSet(), routes);
        Assert.Equal(known.Order(), routes.Order());
    }

    [Fact]
    public void Every_curl_sets_its_timeouts_first()
    {
        foreach (var section in Repository.AsteriskConfig("extensions.conf").Sections)
        {
            var lines = section.Entries.Select(e => e.Value).ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].Contains("${CURL(", StringComparison.Ordinal))
                {
                    var before = string.Join('\n', lines.Take(i));
                    Assert.True(before.Contains("CURLOPT(conntimeout)") && before.Contains("CURLOPT(httptimeout)"),
                        $"[{section.Name}] CURL() without CURLOPT timeouts before it: {lines[i]}");
                }
            }
        }
    }

    [Fact]
    public void Every_gosub_handler_the_dialplan_names_exists()
    {
        var extensions = Repository.AsteriskConfig("extensions.conf");
        var text = Repository.Read("asterisk-config/extensions.conf");

        var targets = GosubTarget().Matches(text).Select(m => (m.Groups["context"].Value, m.Groups["exten"].Value))
            .Concat(CalleeGosubTarget().Matches(text).Select(m => (m.Groups["context"].Value, "s")))
            .Distinct().ToList();

        Assert.NotEmpty(targets);
        Assert.Contains(targets, t => t.Item2 == "s" && t.Item1 != "gateway-inbound"); // a U() was found
        Assert.All(targets, t => Assert.Contains(Extens(extensions, t.Item1), e => e == t.Item2));
    }

    [Fact]
    public void A_withheld_number_is_blanked_before_the_name_lookup_and_before_anything_rings()
    {
        var inbound = Repository.AsteriskConfig("extensions.conf").Single("gateway-inbound").Entries.Select(e => e.Value).ToList();

        var presentationCheck = inbound.FindIndex(l => l.Contains("CALLERID(pres)", StringComparison.Ordinal) && l.Contains("prohib", StringComparison.Ordinal));
        var blanked = inbound.FindIndex(l => l.Contains("Set(CALLERID(num)=anonymous)", StringComparison.Ordinal));
        var lookup = inbound.FindIndex(l => l.Contains("caller-name", StringComparison.Ordinal));
        Assert.InRange(presentationCheck, 0, blanked - 1);
        Assert.InRange(blanked, 0, lookup - 1);
        Assert.All(Repository.AsteriskConfig("extensions.conf").Single("from-pstn").Entries
                .Where(e => e.Key == "exten" && !e.Value.Contains("Goto(", StringComparison.Ordinal)),
            e => Assert.Contains("GoSub(gateway-inbound,s,1)", e.Value));
    }

    private static IEnumerable<string> Extens(AsteriskConf conf, string context) =>
        conf.Named(context).SelectMany(s => s.All("exten")).Select(v => v.Split(',')[0].Trim());

    [GeneratedRegex(@"\$\{GATEWAY_URL\}(?<path>/api/dialplan/[a-z/-]+)")]
    private static partial Regex HookUrl();

    [GeneratedRegex(@"^Local/(?<exten>[^@]+)@(?<context>[^/,]+)")]
    private static partial Regex LocalMember();

    // Dial's b(context^exten^priority), GoSub(context,exten,priority), CHANNEL(hangup_handler_push)=context,exten,priority
    [GeneratedRegex(@"(?:\bb\(|GoSub\(|hangup_handler_push\)=)(?<context>[\w-]+)[\^,](?<exten>[\w-]+)[\^,]1\b")]
    private static partial Regex GosubTarget();

    // Dial's U(context[^arg...]) names a context only and always starts at s,1 (apps/app_dial.c: "The subroutine
    // execution starts in the named context at the s exten and priority 1").
    [GeneratedRegex(@"\bU\((?<context>[\w-]+)[\^)]")]
    private static partial Regex CalleeGosubTarget();
}
