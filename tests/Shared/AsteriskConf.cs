namespace CallerIdGateway.Testing;

/// <summary>
/// Just enough of Asterisk's config syntax to check what asterisk-config/ says: <c>[section]</c>,
/// templates (<c>[name](!)</c>, <c>[name](template)</c>), <c>key = value</c> and <c>key => value</c>
/// lines (kept in order, repeats included), <c>;</c> comments. Sections of the same name stay apart
/// (pjsip.conf has an endpoint, an AOR and an auth all called 1008).
/// </summary>
public sealed class AsteriskConf
{
    private readonly List<Section> _sections;

    private AsteriskConf(List<Section> sections) => _sections = sections;

    public IReadOnlyList<Section> Sections => _sections;

    public static AsteriskConf Parse(string text)
    {
        var sections = new List<Section>();
        Section? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith('['))
            {
                var close = line.IndexOf(']');
                var name = line[1..close];
                var options = line[(close + 1)..].Trim();
                var templateNames = options.StartsWith('(') ? options.Trim('(', ')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
                current = new Section(name, templateNames.Contains("!"), [.. templateNames.Where(t => t != "!")]);
                sections.Add(current);
                continue;
            }
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            var equals = line.IndexOf('=');
            var at = arrow >= 0 && arrow <= equals ? arrow : equals;
            if (at > 0 && current is not null)
            {
                current.Own.Add(new Entry(line[..at].Trim(), line[(at + (at == arrow ? 2 : 1))..].Trim()));
            }
        }
        var conf = new AsteriskConf(sections);
        foreach (var section in sections)
        {
            section.Resolve(conf);
        }
        return conf;
    }

    /// <summary>The non-template sections of a name (an endpoint and an AOR may share one).</summary>
    public IEnumerable<Section> Named(string name) => _sections.Where(s => s.Name == name && !s.IsTemplate);

    public Section Single(string name) =>
        Named(name).ToList() is [var only] ? only : throw new InvalidOperationException($"expected one [{name}], found {Named(name).Count()}");

    /// <summary>The section of a name whose (inherited) <c>type</c> is <paramref name="type"/> (pjsip.conf).</summary>
    public Section? OfType(string name, string type) => Named(name).SingleOrDefault(s => s["type"] == type);

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == ';' && (i == 0 || line[i - 1] != '\\'))
            {
                return line[..i];
            }
        }
        return line;
    }

    public sealed record Entry(string Key, string Value);

    public sealed class Section(string name, bool isTemplate, string[] templates)
    {
        public string Name { get; } = name;

        public bool IsTemplate { get; } = isTemplate;

        internal List<Entry> Own { get; } = [];

        /// <summary>The template's entries first, then the section's own, as Asterisk applies them.</summary>
        public List<Entry> Entries { get; private set; } = [];

        /// <summary>The last value of a key (a later line overrides an earlier or inherited one).</summary>
        public string? this[string key] => Entries.LastOrDefault(e => e.Key == key)?.Value;

        public IEnumerable<string> All(string key) => Entries.Where(e => e.Key == key).Select(e => e.Value);

        internal void Resolve(AsteriskConf conf) =>
            Entries = [.. templates.SelectMany(t => conf._sections.Single(s => s.Name == t && s.IsTemplate).Own), .. Own];
    }
}
