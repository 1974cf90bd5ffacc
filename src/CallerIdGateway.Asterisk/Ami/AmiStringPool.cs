using System.Text;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// Hands out one string per short text seen recently. AMI repeats itself: every packet has the
/// same twenty-odd keys, and values like <c>call,all</c>, <c>Up</c>, <c>&lt;unknown&gt;</c>, a
/// context, or the Uniqueid of a live channel come back packet after packet. A fixed table where
/// a newcomer replaces whatever shared its slot stays small and follows the calls as they change.
/// </summary>
internal sealed class AmiStringPool(int slots, int maxLength)
{
    private readonly string?[] _slots = new string?[CheckPowerOfTwo(slots)];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }
        if (utf8.Length > maxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        // UTF-8 never decodes to more chars than it has bytes.
        Span<char> buffer = stackalloc char[utf8.Length];
        var text = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        ref var slot = ref _slots[string.GetHashCode(text) & (_slots.Length - 1)];
        if (slot is not null && text.SequenceEqual(slot))
        {
            return slot;
        }
        return slot = new string(text);
    }

    private static int CheckPowerOfTwo(int slots) =>
        slots > 0 && (slots & (slots - 1)) == 0 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), "Must be a power of two.");
}
