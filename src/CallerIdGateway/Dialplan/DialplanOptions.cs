using System.ComponentModel.DataAnnotations;

namespace CallerIdGateway.Dialplan;

/// <summary>In which script the caller-name hook answers.</summary>
public enum CallerNameScript
{
    /// <summary>The name as stored (Persian script for most customers).</summary>
    Original,

    /// <summary>A readable ASCII transliteration, for desk phones that cannot show Persian script.</summary>
    Latin,
}

/// <summary>
/// Settings of section <c>Dialplan</c>: the HTTP hooks that an Asterisk dialplan calls with
/// <c>CURL()</c> (caller name, call notifications). They answer only to the allowed addresses and,
/// when a secret is set, only to requests that carry it.
/// </summary>
public sealed class DialplanOptions
{
    public const string Section = "Dialplan";

    /// <summary>
    /// On by default, restricted to this machine: the shipped asterisk-config/ then works as written
    /// and nothing beyond the PBX host can ask who owns a number.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Shared secret the dialplan sends as header <c>X-Dialplan-Secret</c> or query/form field
    /// <c>secret</c>. Empty = not required (the address allow-list alone guards the hooks).
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Networks (CIDR, or a single address) allowed to call the hooks. Empty = <see cref="LoopbackOnly"/>.
    /// <c>0.0.0.0/0</c> and <c>::/0</c> allow everyone (then set a <see cref="Secret"/>).
    /// </summary>
    public string[] AllowedAddresses { get; set; } = [];

    /// <summary>The default script of the caller name; a request may ask for another with <c>script=latin|original</c>.</summary>
    public CallerNameScript CallerNameScript { get; set; } = CallerNameScript.Original;

    /// <summary>The caller name is cut to this many characters (desk phone displays are narrow); 0 = no cap.</summary>
    [Range(0, 200, ErrorMessage = "Dialplan:CallerNameMaxLength must be between 0 (no cap) and 200.")]
    public int CallerNameMaxLength { get; set; } = 40;

    /// <summary>
    /// The caller-name hook answers within this time even when the database is slow or down (then
    /// with an empty name), so the dialplan — and the ringing caller — never waits on it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05", ErrorMessage = "Dialplan:CallerNameBudget must be between 00:00:00.010 and 00:00:05.")]
    public TimeSpan CallerNameBudget { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// A call reported through the call hook whose end report never comes (a hangup handler missing,
    /// a lost request) is reported missed after ringing this long since its last report.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Dialplan:CallHookMaxRing must be between 00:00:10 and 1.00:00:00.")]
    public TimeSpan CallHookMaxRing { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A call reported through the call hook that was answered is reported ended after this long, unless its end came first.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Dialplan:CallHookMaxTalk must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan CallHookMaxTalk { get; set; } = TimeSpan.FromHours(4);

    public static readonly string[] LoopbackOnly = ["127.0.0.1/32", "::1/128"];
}

/// <summary>Settings of section <c>Dialplan:FastAgi</c>: the <c>agi://gateway:4573/callerid</c> server.</summary>
public sealed class FastAgiOptions
{
    public const string Section = "Dialplan:FastAgi";

    /// <summary>Off by default: it opens a TCP port of its own.</summary>
    public bool Enabled { get; set; }

    /// <summary>Address to listen on: <c>127.0.0.1</c> (Asterisk on this host) or <c>0.0.0.0</c> / <c>::</c>.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>FastAGI's registered port; 0 picks a free one (tests).</summary>
    [Range(0, 65535, ErrorMessage = "Dialplan:FastAgi:Port must be between 0 and 65535.")]
    public int Port { get; set; } = 4573;

    /// <summary>Sessions served at once; more wait for a free slot (one session lasts a few milliseconds).</summary>
    [Range(1, 10_000, ErrorMessage = "Dialplan:FastAgi:MaxConnections must be between 1 and 10000.")]
    public int MaxConnections { get; set; } = 64;

    /// <summary>
    /// Connections open at once from one address; more are closed as they arrive, so one host holding
    /// idle sockets cannot take every slot. A PBX needs about (calls a second) × (lookup time).
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Dialplan:FastAgi:MaxConnectionsPerAddress must be between 1 and 10000.")]
    public int MaxConnectionsPerAddress { get; set; } = 32;

    /// <summary>
    /// Time to receive the AGI environment after connecting: Asterisk sends it at once, so a peer
    /// that stays silent this long is not Asterisk and loses its connection.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Dialplan:FastAgi:RequestTimeout must be between 00:00:00.100 and 00:01:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
