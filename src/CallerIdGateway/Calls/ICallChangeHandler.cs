namespace CallerIdGateway.Calls;

/// <summary>Receives every call state change, in order, from the tracker's single loop.</summary>
public interface ICallChangeHandler
{
    /// <summary>Called on the tracker's loop: return quickly (queue slow work elsewhere).</summary>
    void OnCallChanged(CallInfo call);
}
