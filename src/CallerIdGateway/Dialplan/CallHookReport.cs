namespace CallerIdGateway.Dialplan;

/// <summary>
/// The parameters of a call report, as query fields (GET) or form fields (POST, what <c>CURL(url,data)</c> sends).
/// The ids are Asterisk's, so a report repeated — or also seen by ARI/AMI — is the same fact and changes nothing twice.
/// </summary>
public sealed record CallHookReport
{
    /// <summary><c>call=${LINKEDID}</c>: the caller's channel, shared by every leg of the call.</summary>
    public string? Call { get; init; }

    /// <summary><c>leg=${UNIQUEID}</c> on the leg toward the extension.</summary>
    public string? Leg { get; init; }

    /// <summary><c>channel=${CHANNEL(name)}</c> on the leg (<c>PJSIP/1008-0000002a</c>): the extension is read from it as ARI/AMI do.</summary>
    public string? Channel { get; init; }

    /// <summary><c>extension=1008</c>, when the leg's channel name does not tell it.</summary>
    public string? Extension { get; init; }

    /// <summary>The caller's number and name, as the caller's channel had them.</summary>
    public string? Number { get; init; }

    public string? Name { get; init; }

    /// <summary><c>status=${DIALSTATUS}</c> (ANSWER, BUSY, NOANSWER, CANCEL, CHANUNAVAIL, CONGESTION), when known.</summary>
    public string? Status { get; init; }

    /// <summary><c>cause=${HANGUPCAUSE}</c> of the leg (17 busy, 19 no answer, 26 answered elsewhere).</summary>
    public string? Cause { get; init; }

    /// <summary><c>retry=1</c>: the caller waits in a queue that may ring the extension again.</summary>
    public bool Retry { get; init; }

    /// <summary>
    /// <c>direction=outbound</c>: the leg is the extension's own phone dialling <see cref="Number"/> (from the outbound
    /// route); <c>internal</c>: <see cref="Number"/> is a colleague's phone; <c>inbound</c> (the default): a caller rings the leg.
    /// </summary>
    public string? Direction { get; init; }

    /// <summary>
    /// <c>customer=${MASTER_CHANNEL(CALLERID(num))}</c>: the call's own caller. When a colleague (<c>direction=internal</c>)
    /// rings on another caller's call, that is the consultation of an attended transfer and the card shows this customer.
    /// </summary>
    public string? Customer { get; init; }

    /// <summary><c>transfer=blind</c> or <c>attended</c>, with <see cref="TransferFrom"/>: the call reached the leg by a transfer.</summary>
    public string? Transfer { get; init; }

    /// <summary><c>transferfrom=${BLINDTRANSFER}</c> (the transferer's channel name) or the transferer's extension.</summary>
    public string? TransferFrom { get; init; }

    public const int MaxNameLength = 128;
    public const int MaxNumberLength = 64;

    /// <summary>Reads a report from the form (POST) or the query string; a form field wins over the same query field.</summary>
    public static async Task<CallHookReport> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await DialplanParameters.FormAsync(request, cancellationToken);
        string? Field(string name)
        {
            var value = form is not null && form.TryGetValue(name, out var posted) ? posted.ToString() : request.Query[name].ToString();
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }
        return new CallHookReport
        {
            Call = Field("call")?.Trim(),
            Leg = Field("leg")?.Trim(),
            Channel = Field("channel")?.Trim(),
            Extension = Field("extension")?.Trim(),
            Number = DialplanParameters.Number(Field("number")),
            Name = Field("name")?.Trim(),
            Status = Field("status")?.Trim(),
            Cause = Field("cause")?.Trim(),
            Retry = Field("retry") is "1" or "yes" or "true",
            Direction = Field("direction")?.Trim().ToLowerInvariant(),
            Customer = DialplanParameters.Number(Field("customer")),
            Transfer = Field("transfer")?.Trim().ToLowerInvariant(),
            TransferFrom = Field("transferfrom")?.Trim(),
        };
    }
}
