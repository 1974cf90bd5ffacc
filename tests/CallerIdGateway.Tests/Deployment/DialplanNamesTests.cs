using System.Text.RegularExpressions;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>
/// Every variable, function and application that asterisk-config/ uses exists in Asterisk. Asterisk
/// does not complain about an unknown variable: <c>${LINKEDID}</c> is simply empty, and every call
/// report then went out without its call id. The names Asterisk knows come from its sources
/// (github.com/asterisk/asterisk, master of 2026-08, the same in 20 and 22) and from the
/// configuration the captures in tests/fixtures/asterisk ran on.
/// </summary>
public partial class DialplanNamesTests
{
    // main/pbx_variables.c, ast_str_retrieve_variable(): the variables Asterisk computes itself.
    private static readonly string[] BuiltInVariables =
    [
        "CALLINGPRES", "CALLINGANI2", "CALLINGTON", "CALLINGTNS", "HINT", "HINTNAME", "EXTEN", "CONTEXT", "PRIORITY",
        "CHANNEL", "UNIQUEID", "HANGUPCAUSE", "EPOCH", "SYSTEMNAME", "ENTITYID",
    ];

    // Variables applications set, from their <variable name=…> documentation: apps/app_dial.c
    // (DIALSTATUS, ANSWEREDTIME, DIALEDTIME, GOSUB_RESULT), apps/app_queue.c (QUEUESTATUS).
    private static readonly string[] ApplicationVariables = ["DIALSTATUS", "ANSWEREDTIME", "DIALEDTIME", "GOSUB_RESULT", "QUEUESTATUS"];

    // <function name=…> of funcs/func_callerid.c (CALLERID), func_channel.c (CHANNEL), func_curl.c (CURL,
    // CURLOPT), func_uri.c (URIENCODE, URIDECODE), func_strings.c (LEN), res/res_pjsip_header_funcs.c (PJSIP_HEADER).
    private static readonly string[] Functions = ["CALLERID", "CHANNEL", "CURL", "CURLOPT", "URIENCODE", "URIDECODE", "LEN", "PJSIP_HEADER"];

    // The items those functions take that the dialplan uses (the <enum name=…> of each file above).
    private static readonly Dictionary<string, string[]> FunctionItems = new()
    {
        ["CALLERID"] = ["all", "name", "num", "pres", "subaddr", "tag"],
        ["CHANNEL"] = ["name", "linkedid", "uniqueid", "hangup_handler_push", "hangup_handler_pop", "language", "musicclass"],
        ["CURLOPT"] = ["conntimeout", "httptimeout", "dnstimeout", "useragent", "userpwd", "ssl_verifypeer"],
        ["PJSIP_HEADER"] = ["read", "add", "update", "remove"],
    };

    // <application name=…> of apps/app_dial.c, app_queue.c, app_stack.c (Gosub, Return), app_directed_pickup.c
    // (PickupChan), main/pbx_builtins.c (Answer, Goto, GotoIf, Hangup, NoOp) and main/pbx_variables.c (Set).
    // Asterisk reads them case-blind.
    private static readonly string[] Applications = ["Answer", "Dial", "Gosub", "Goto", "GotoIf", "Hangup", "NoOp", "PickupChan", "Queue", "Return", "Set"];

    private static readonly string[] CaptureConfigs =
        [.. Directory.GetFiles(Repository.PathOf("tests/fixtures/asterisk"), "extensions.conf", SearchOption.AllDirectories)];

    [Fact]
    public void Every_variable_the_dialplan_reads_is_asterisks_own_or_set_by_the_dialplan()
    {
        Assert.Empty(UnknownVariables(Dialplan.Of(Repository.Read("asterisk-config/extensions.conf"))));
    }

    [Fact]
    public void Every_function_and_its_item_exists_in_asterisk()
    {
        var dialplan = Dialplan.Of(Repository.Read("asterisk-config/extensions.conf"));

        Assert.Empty(UnknownFunctions(dialplan));
        Assert.Empty(UnknownFunctionItems(dialplan));
    }

    [Fact]
    public void Every_application_exists_in_asterisk()
    {
        var dialplan = Dialplan.Of(Repository.Read("asterisk-config/extensions.conf"));

        Assert.DoesNotContain(dialplan.Applications, a => !Applications.Contains(a, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_check_flags_a_variable_asterisk_does_not_have()
    {
        var dialplan = Dialplan.Of("""
            [hook]
            exten => s,1,Set(GATEWAY_REPLY=${CURL(http://127.0.0.1:5000/x,call=${LINKEDID}&leg=${UNIQUEID}&id=${CHANNEL(linkid)})})
            """);

        Assert.Equal(["LINKEDID"], UnknownVariables(dialplan));
        Assert.Equal(["CHANNEL(linkid)"], UnknownFunctionItems(dialplan));
    }

    [Fact]
    public void The_lists_cover_what_the_captures_configuration_uses()
    {
        Assert.NotEmpty(CaptureConfigs);
        foreach (var file in CaptureConfigs)
        {
            var dialplan = Dialplan.Of(File.ReadAllText(file));

            Assert.DoesNotContain(dialplan.Read, v => !BuiltInVariables.Concat(ApplicationVariables).Union(dialplan.Defined).Contains(v));
            Assert.DoesNotContain(dialplan.Functions, f => !Functions.Contains(f));
            Assert.DoesNotContain(dialplan.Applications, a => !Applications.Contains(a, StringComparer.OrdinalIgnoreCase));
        }
    }

    private static List<string> UnknownVariables(Dialplan dialplan)
    {
        HashSet<string> known = [.. BuiltInVariables, .. ApplicationVariables, .. CaptureConfigs.SelectMany(f => Dialplan.Of(File.ReadAllText(f)).Read), .. dialplan.Defined];
        return [.. dialplan.Read.Where(v => !known.Contains(v)).Order()];
    }

    private static List<string> UnknownFunctions(Dialplan dialplan)
    {
        HashSet<string> known = [.. Functions, .. CaptureConfigs.SelectMany(f => Dialplan.Of(File.ReadAllText(f)).Functions)];
        return [.. dialplan.Functions.Where(f => !known.Contains(f)).Order()];
    }

    private static List<string> UnknownFunctionItems(Dialplan dialplan) =>
        [.. dialplan.FunctionItems.Where(f => FunctionItems.TryGetValue(f.Function, out var items) && !items.Contains(f.Item)).Select(f => $"{f.Function}({f.Item})").Order()];

    /// <summary>The names an extensions.conf uses: variables it reads and defines, functions (with their first argument), applications.</summary>
    private sealed record Dialplan(HashSet<string> Read, HashSet<string> Defined, HashSet<string> Functions, HashSet<(string Function, string Item)> FunctionItems, HashSet<string> Applications)
    {
        public static Dialplan Of(string text)
        {
            var conf = AsteriskConf.Parse(text);
            var lines = conf.Sections.Where(s => s.Name != "general" && s.Name != "globals")
                .SelectMany(s => s.Entries.Where(e => e.Key is "exten" or "same").Select(e => e.Value)).ToList();
            var globals = conf.Named("globals").SelectMany(s => s.Entries.Select(e => e.Key));
            return new Dialplan(
                [.. lines.SelectMany(l => VariableRead().Matches(l)).Select(m => m.Groups["name"].Value)],
                [.. globals, .. lines.SelectMany(l => VariableSet().Matches(l)).Select(m => m.Groups["name"].Value)],
                [.. lines.SelectMany(l => FunctionCall().Matches(l)).Select(m => m.Groups["name"].Value)],
                [.. lines.SelectMany(l => FunctionItem().Matches(l)).Select(m => (m.Groups["name"].Value, m.Groups["item"].Value))],
                [.. lines.Select(l => ApplicationCall().Match(l)).Where(m => m.Success).Select(m => m.Groups["app"].Value)]);
        }
    }

    // ${NAME}, ${NAME:offset:length}
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?=[}:])")]
    private static partial Regex VariableRead();

    // Set(NAME=…), Set(_NAME=…), Set(__NAME=…) (the inherited copies drop the underscores)
    [GeneratedRegex(@"\bSet\(_{0,2}(?<name>[A-Za-z][A-Za-z0-9_]*)=", RegexOptions.IgnoreCase)]
    private static partial Regex VariableSet();

    // ${FUNC(…)} read, Set(FUNC(…)=…) written
    [GeneratedRegex(@"(?:\$\{|\bSet\()(?<name>[A-Z][A-Z0-9_]*)\(", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionCall();

    [GeneratedRegex(@"(?:\$\{|\bSet\()(?<name>[A-Z][A-Z0-9_]*)\((?<item>[A-Za-z_-]+)\)", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionItem();

    // exten => 1008,1,App(…) / same => n(label),App(…)
    [GeneratedRegex(@"^(?:[^,]+,)?(?:n|\d+)(?:\([\w-]+\))?,(?<app>[A-Za-z]+)\(")]
    private static partial Regex ApplicationCall();
}
