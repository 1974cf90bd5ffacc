namespace CallerIdGateway.Calls;

/// <summary>How a leg reaches an extension.</summary>
public enum LegKind
{
    /// <summary>A channel to the phone itself: <c>PJSIP/1008-…</c>, <c>SIP/1008-…</c>, <c>IAX2/1008-…</c>.</summary>
    Device,

    /// <summary>The outward half of a Local channel, <c>Local/1008@context-…;1</c>: how FreePBX/Issabel queues and follow-me reach agents.</summary>
    Local,
}
