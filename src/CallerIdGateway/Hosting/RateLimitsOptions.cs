namespace CallerIdGateway.Hosting;

/// <summary>One request budget: a token bucket that refills <see cref="PermitsPerSecond"/> and holds <see cref="Burst"/>.</summary>
public sealed class RateLimit
{
    /// <summary>Requests a second, sustained; 0 switches the limit off (load runs).</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests allowed at once after a quiet spell.</summary>
    public int Burst { get; set; }
}

/// <summary>
/// Settings of section <c>RateLimits</c>: how fast one client may call the lookup API and the dialplan
/// hooks. Far above what a PBX, the dashboard or an integration needs; they stop a stolen key or a
/// runaway script from walking the customer list or flooding the call tracker.
/// </summary>
public sealed class RateLimitsOptions
{
    public const string Section = "RateLimits";

    /// <summary><c>GET /api/customers/by-phone/…</c>, per API key (per address for requests without a configured key).</summary>
    public RateLimit Lookup { get; set; } = new() { PermitsPerSecond = 50, Burst = 200 };

    /// <summary><c>/api/dialplan/…</c>, per address: every leg of every call reports a few times.</summary>
    public RateLimit Dialplan { get; set; } = new() { PermitsPerSecond = 500, Burst = 2000 };
}
