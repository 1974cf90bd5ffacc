using System.Text;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// The event names a consumer wants. Matching works on the raw bytes of the <c>Event:</c> value,
/// so the parser can drop an unwanted packet without creating a string for it.
/// </summary>
internal sealed class AmiEventFilter
{
    // Event names are short ASCII words; a longer value cannot be one we asked for.
    private const int MaxEventNameLength = 128;

    private readonly HashSet<string>? _names;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <param name="names">Wanted event names (case-insensitive); null or empty wants every event.</param>
    public AmiEventFilter(IEnumerable<string>? names)
    {
        var set = new HashSet<string>(names ?? [], StringComparer.OrdinalIgnoreCase);
        if (set.Count > 0)
        {
            _names = set;
            _lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public bool Wants(string eventName) => _names is null || _names.Contains(eventName);

    public bool Wants(ReadOnlySpan<byte> eventNameUtf8)
    {
        if (_names is null)
        {
            return true;
        }
        if (eventNameUtf8.Length > MaxEventNameLength)
        {
            return false;
        }
        Span<char> chars = stackalloc char[MaxEventNameLength];
        var length = Encoding.UTF8.GetChars(eventNameUtf8, chars);
        return _lookup.Contains(chars[..length]);
    }
}
