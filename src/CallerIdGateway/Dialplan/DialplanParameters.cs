namespace CallerIdGateway.Dialplan;

/// <summary>How the hooks read the values a dialplan sends, forgiving the ways <c>CURL()</c> URLs are usually written.</summary>
public static class DialplanParameters
{
    /// <summary>
    /// The posted form, or null when the request has none. A form over the limits of
    /// <c>FormOptions</c> (too many fields, say) is the client's fault: 400, not 500.
    /// </summary>
    public static async Task<IFormCollection?> FormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new BadHttpRequestException($"The form cannot be read: {e.Message}", StatusCodes.Status400BadRequest, e);
        }
    }

    /// <summary>
    /// A caller number as received. Dialplans (and FreePBX's Caller ID Lookup module) paste
    /// <c>${CALLERID(num)}</c> into URLs unencoded, so <c>+98912…</c> arrives with a literal <c>+</c>,
    /// which form decoding turns into a space: a leading space before digits was a plus sign.
    /// </summary>
    public static string? Number(string? decoded)
    {
        if (string.IsNullOrEmpty(decoded))
        {
            return decoded;
        }
        var trimmed = decoded.Trim();
        return decoded[0] == ' ' && trimmed.Length > 0 && char.IsAsciiDigit(trimmed[0]) ? "+" + trimmed : trimmed;
    }

    /// <summary><c>latin</c> or <c>original</c> (any case); null (use the configured default) for anything else.</summary>
    public static CallerNameScript? Script(string? value) =>
        Enum.TryParse<CallerNameScript>(value, ignoreCase: true, out var script) && Enum.IsDefined(script) && !int.TryParse(value, out _)
            ? script
            : null;

    /// <summary>A positive length cap up to 200; null (use the configured default) for anything else.</summary>
    public static int? MaxLength(string? value) =>
        int.TryParse(value, out var length) && length is > 0 and <= 200 ? length : null;
}
