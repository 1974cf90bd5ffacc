using System.Globalization;
using System.Text;
using CallerIdGateway.Contracts;

namespace CallerIdGateway.Dialplan;

/// <summary>What the dialplan puts in <c>CALLERID(name)</c> for a lookup result: the customer's name, made safe for a phone display.</summary>
public static class CallerNameText
{
    /// <summary>The found customer's name in the wanted script, cut to <paramref name="maxLength"/> (0 = no cap); empty for anything but a find.</summary>
    public static string For(CustomerCallData? lookup, CallerNameScript script, int maxLength)
    {
        if (lookup is not { Lookup: LookupStatus.Found, Customer.Name: { Length: > 0 } name })
        {
            return "";
        }
        var text = Clean(name);
        if (script == CallerNameScript.Latin)
        {
            text = PersianTransliterator.ToLatin(text);
        }
        return Cap(text, maxLength);
    }

    /// <summary>
    /// One line, no control characters, no double quotes: the value ends up in a SIP display name
    /// (<c>"name" &lt;sip:…&gt;</c>) and in dialplan expressions, where line breaks and quotes break things.
    /// </summary>
    public static string Clean(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var replacement = char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c == '"' ? '\'' : c;
            if (replacement == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }
            builder.Append(replacement);
        }
        return builder.ToString().TrimEnd();
    }

    /// <summary>Cuts at a whole character (never inside a surrogate pair or before a combining mark).</summary>
    public static string Cap(string text, int maxLength)
    {
        if (maxLength <= 0 || text.Length <= maxLength)
        {
            return text;
        }
        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var end = elements.ElementIndex + elements.GetTextElement().Length;
            if (end > maxLength)
            {
                break;
            }
            cut = end;
        }
        return text[..cut].TrimEnd(' ', '-', ',', '.', '\u200C');
    }
}
