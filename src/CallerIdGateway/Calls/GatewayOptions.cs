using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.Calls;

/// <summary>Settings of section <c>Gateway</c>: which calls to follow and how.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Extensions whose ringing calls are shown, e.g. <c>["1008", "1009"]</c>.</summary>
    [MinLength(1, ErrorMessage = "Gateway:MonitoredExtensions must name at least one extension.")]
    public string[] MonitoredExtensions { get; set; } = [];

    /// <summary>
    /// A queue may ring an agent again after its member timeout while the caller keeps waiting
    /// (queues.conf <c>retry</c>, 5 s by default). A queued caller whose agent leg ended unanswered
    /// is only reported missed after this much more time without a new ring.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Gateway:QueueRetryGrace must be between 00:00:00 and 00:05:00.")]
    public TimeSpan QueueRetryGrace { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long an ended call is remembered, so that late or repeated events do not bring it back.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Gateway:EndedCallRetention must be between 00:00:05 and 01:00:00.")]
    public TimeSpan EndedCallRetention { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A ringing or answered call that no event has touched for this long is closed (a hangup lost
    /// while no source was connected and no resync could see it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Gateway:StaleCallTimeout must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan StaleCallTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Colleagues' extensions and names, e.g. <c>{ "1009": "Support" }</c>: a call from or to one of them is an internal call,
    /// shown with this name (else the PBX's caller ID name), never looked up as a customer. Monitored extensions and any
    /// party whose channel is a phone count as colleagues without being listed.
    /// </summary>
    public Dictionary<string, string> Colleagues { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
