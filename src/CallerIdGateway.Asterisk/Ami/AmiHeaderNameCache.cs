using System.Text;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// Reuses one string per header name. Every packet repeats the same twenty-odd keys (Channel,
/// Uniqueid, CallerIDNum…), so after the first packets no key allocates. Bounded, so a peer that
/// invents keys cannot grow it.
/// </summary>
internal sealed class AmiHeaderNameCache
{
    private const int MaxEntries = 1024;
    private const int MaxNameLength = 64;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public AmiHeaderNameCache() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }
        if (utf8.Length > MaxNameLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        Span<char> chars = stackalloc char[MaxNameLength];
        var name = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (_lookup.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var created = new string(name);
        if (_names.Count < MaxEntries)
        {
            _names.Add(created);
        }
        return created;
    }
}
