using CallerIdGateway.Calls;

namespace CallerIdGateway.CallControl;

/// <summary>Acts on calls through one Asterisk interface (<see cref="AriCallControl"/>, <see cref="AmiCallControl"/>).</summary>
public interface ICallControl
{
    /// <summary>Whether this interface can blind-transfer; when not, <see cref="TransferAsync"/> is not called.</summary>
    string? TransferUnsupportedReason { get; }

    /// <summary>Rings <paramref name="endpoint"/> showing <paramref name="callerId"/>; once answered, the PBX dials <paramref name="number"/> in <paramref name="context"/>. Returns the call id.</summary>
    Task<string> OriginateAsync(string endpoint, string number, string context, string callerId, TimeSpan ringTimeout, CancellationToken cancellationToken);

    /// <summary>Hangs up the leg; false when it was already gone.</summary>
    Task<bool> HangupAsync(CallLeg leg, CancellationToken cancellationToken);

    /// <summary>Sends the other party of the leg's bridge to <paramref name="extension"/>@<paramref name="context"/>; the leg itself hangs up.</summary>
    Task TransferAsync(CallLeg leg, string extension, string context, CancellationToken cancellationToken);
}

/// <summary>The PBX could not do what was asked: <see cref="StatusCode"/> and the words for the ProblemDetails.</summary>
public sealed class CallControlException(int statusCode, string title, string detail, Exception? inner = null) : Exception(detail, inner)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
