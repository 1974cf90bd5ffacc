using System.Collections;
using System.Text;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// One AMI packet as Asterisk sent it: an event or a response, its headers in wire order.
/// Keys may repeat (<c>ChanVariable</c>, <c>Output</c>), so this is a list, not a dictionary.
/// Lookups are case-insensitive and return the first value.
/// </summary>
/// <remarks>
/// A packet holds a dozen to thirty headers, and the parser makes hundreds of thousands per
/// second: one array of pairs and a linear scan cost less than building a dictionary each time.
/// </remarks>
public sealed class AmiMessage : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly KeyValuePair<string, string>[] _headers;

    public AmiMessage(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = headers.ToArray();
    }

    /// <summary>Takes ownership of <paramref name="headers"/>, which nobody may change afterwards.</summary>
    internal AmiMessage(KeyValuePair<string, string>[] headers) => _headers = headers;

    /// <summary>The first value of <paramref name="key"/> (case-insensitive), or null when absent.</summary>
    public string? this[string key] => TryGetValue(key, out var value) ? value : null;

    /// <summary>The value of the <c>Event</c> header, or null for a response.</summary>
    public string? EventName => this["Event"];

    /// <summary>The value of the <c>Response</c> header (<c>Success</c>, <c>Error</c>, <c>Goodbye</c>…), or null for an event.</summary>
    public string? Response => this["Response"];

    /// <summary>
    /// A response to an action. <c>Event: OriginateResponse</c> also carries a <c>Response</c> header
    /// (Success / Failure) but is an event: the <c>Event</c> header decides.
    /// </summary>
    public bool IsResponse => Response is not null && EventName is null;

    public string? ActionId => this["ActionID"];

    public int Count => _headers.Length;

    public KeyValuePair<string, string> this[int index] => _headers[index];

    public bool TryGetValue(string key, out string value)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                value = header.Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    /// <summary>Every value of <paramref name="key"/> (case-insensitive), in wire order.</summary>
    public IReadOnlyList<string> GetAll(string key)
    {
        List<string>? values = null;
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(header.Value);
            }
        }
        return values ?? (IReadOnlyList<string>)[];
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_headers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The packet in wire form (<c>Key: Value</c> lines), for logs and test failures.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in _headers)
        {
            text.Append(key).Append(": ").Append(value).Append("\r\n");
        }
        return text.ToString();
    }
}
