namespace CallerIdGateway.Sources;

/// <summary>Reads the dialled number out of a Dial string, whatever the channel driver's syntax.</summary>
public static class DialStrings
{
    /// <summary>
    /// <c>09123456789@provider</c> (PJSIP), <c>provider/09123456789</c> (chan_sip), <c>SIP/09123456789@provider</c>,
    /// <c>1008</c> → the number; null when there is none (<c>PJSIP/provider</c>, empty).
    /// </summary>
    public static string? Number(string? dialString)
    {
        if (string.IsNullOrWhiteSpace(dialString))
        {
            return null;
        }
        var target = dialString.Split('&')[0];           // the first of several targets
        target = target.Split(',')[0];                   // options after a comma (Dial's own syntax)
        target = target[(target.LastIndexOf('/') + 1)..]; // technology / peer prefix
        var at = target.IndexOf('@');
        if (at >= 0)
        {
            target = target[..at];
        }
        target = target.Trim();
        return target.Length > 0 && target.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#') ? target : null;
    }
}
