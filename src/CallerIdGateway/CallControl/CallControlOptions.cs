using CallerIdGateway.Dialplan;

namespace CallerIdGateway.CallControl;

/// <summary>Which Asterisk interface call control acts through.</summary>
public enum CallControlSource
{
    /// <summary>ARI REST: click-to-call (<c>POST /channels</c>) and hang-up (<c>DELETE /channels/{id}</c>); no transfer.</summary>
    Ari,

    /// <summary>AMI: <c>Originate</c>, <c>Hangup</c> and <c>BlindTransfer</c>.</summary>
    Ami,
}

/// <summary>
/// Settings of section <c>CallControl</c>: acting on calls (click-to-call, hang-up, blind transfer)
/// for agents on desk phones. Off by default, and with credentials of its own, so the users that
/// watch calls (<c>Asterisk:Ari</c>, <c>Asterisk:Ami</c>) stay read-only.
/// </summary>
public sealed class CallControlOptions
{
    public const string Section = "CallControl";

    public bool Enabled { get; set; }

    public CallControlSource Source { get; set; } = CallControlSource.Ami;

    /// <summary>
    /// The dialplan context where the answered agent's channel dials the number: the context of the
    /// agent's phone, so the PBX's outbound routes apply (<c>internal</c> in asterisk-config/,
    /// <c>from-internal</c> on FreePBX and Issabel).
    /// </summary>
    public string Context { get; set; } = "internal";

    /// <summary>What rings the agent first; <c>{extension}</c> is replaced: <c>PJSIP/{extension}</c>, <c>SIP/{extension}</c> on chan_sip (Issabel 4).</summary>
    public string EndpointTemplate { get; set; } = "PJSIP/{extension}";

    /// <summary>How long the agent's phone rings before the click-to-call gives up.</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The customer's name on the agent's phone: <c>Original</c> (as stored) or <c>Latin</c> (for phones without Persian fonts).</summary>
    public CallerNameScript CallerIdScript { get; set; } = CallerNameScript.Original;

    /// <summary>ARI user with write access (ari.conf <c>read_only = no</c>); the URL is <c>Asterisk:Ari:BaseUrl</c>.</summary>
    public CallControlAriUser Ari { get; set; } = new();

    /// <summary>AMI user with <c>write=originate,call</c>; host and port are <c>Asterisk:Ami:Host</c> and <c>:Port</c>.</summary>
    public CallControlAmiUser Ami { get; set; } = new();

    /// <summary>The endpoint that rings <paramref name="extension"/>.</summary>
    public string EndpointOf(string extension) => EndpointTemplate.Replace("{extension}", extension, StringComparison.Ordinal);
}

public sealed class CallControlAriUser
{
    public string Username { get; set; } = "gateway-control";

    public string Password { get; set; } = "";
}

public sealed class CallControlAmiUser
{
    public string Username { get; set; } = "gateway-control";

    public string Secret { get; set; } = "";
}
