using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>docker-compose.yml as Compose reads it: YAML, with <c>${VAR}</c> / <c>${VAR:-default}</c> taken from an env file.</summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;

    public ComposeFile(string yaml, IReadOnlyDictionary<string, string> env)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        _root = (YamlMappingNode)stream.Documents[0].RootNode;
        Env = env;
    }

    public IReadOnlyDictionary<string, string> Env { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        ((YamlMappingNode)_root["services"]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value);

    public IEnumerable<string> NamedVolumes =>
        _root.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes) ? ((YamlMappingNode)volumes).Children.Keys.Select(k => ((YamlScalarNode)k).Value!) : [];

    /// <summary>A service's environment (map or <c>KEY=value</c> list form), with variables substituted.</summary>
    public Dictionary<string, string> Environment(string service)
    {
        if (!Services[service].Children.TryGetValue(new YamlScalarNode("environment"), out var node))
        {
            return [];
        }
        IEnumerable<(string Key, string Value)> pairs = node switch
        {
            YamlMappingNode map => Merged(map),
            YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!).Select(v => (v[..v.IndexOf('=')], v[(v.IndexOf('=') + 1)..])),
            _ => [],
        };
        return pairs.ToDictionary(p => p.Key, p => Substitute(p.Value));
    }

    /// <summary>A mapping's pairs after its merge keys (<c>&lt;&lt;: *anchor</c>): the mapping's own keys win.</summary>
    private static IEnumerable<(string Key, string Value)> Merged(YamlMappingNode map)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var (key, value) in map.Children.Where(c => IsMerge(c.Key)).SelectMany(c => Merged((YamlMappingNode)c.Value)))
        {
            pairs[key] = value;
        }
        foreach (var child in map.Children.Where(c => !IsMerge(c.Key)))
        {
            pairs[((YamlScalarNode)child.Key).Value!] = ((YamlScalarNode)child.Value).Value ?? "";
        }
        return pairs.Select(p => (p.Key, p.Value));
    }

    private static bool IsMerge(YamlNode key) => key is YamlScalarNode { Value: "<<" };

    /// <summary>Short-syntax volumes and bind mounts of a service: (source, target).</summary>
    public IEnumerable<(string Source, string Target)> Volumes(string service) =>
        Services[service].Children.TryGetValue(new YamlScalarNode("volumes"), out var node)
            ? ((YamlSequenceNode)node).Children.Select(c => Substitute(((YamlScalarNode)c).Value!).Split(':')).Select(p => (p[0], p[1]))
            : [];

    /// <summary>A list of a service (<c>profiles</c>, <c>command</c>…), variables substituted; empty when absent.</summary>
    public IReadOnlyList<string> Sequence(string service, string key) =>
        Services[service].Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode list
            ? [.. list.Children.Select(c => Substitute(((YamlScalarNode)c).Value!))]
            : [];

    public string? Scalar(string service, params string[] path)
    {
        YamlNode node = Services[service];
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node!))
            {
                return null;
            }
        }
        return node is YamlScalarNode scalar ? Substitute(scalar.Value!) : null;
    }

    /// <summary>Every <c>${NAME…}</c> in the file with its default (null when none).</summary>
    public static IEnumerable<(string Name, string? Default)> Variables(string yaml) =>
        VariablePattern().Matches(yaml).Select(m => (m.Groups["name"].Value, m.Groups["default"].Success ? m.Groups["default"].Value : null));

    public string Substitute(string value) =>
        VariablePattern().Replace(value.Replace("$$", "\0", StringComparison.Ordinal), m =>
            Env.TryGetValue(m.Groups["name"].Value, out var set) && set.Length > 0 ? set
            : m.Groups["default"].Success ? m.Groups["default"].Value
            : "").Replace("\0", "$", StringComparison.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex VariablePattern();
}
