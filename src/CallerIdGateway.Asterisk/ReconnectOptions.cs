namespace CallerIdGateway.Asterisk;

/// <summary>How a long-lived Asterisk connection (ARI socket, AMI session) retries after it drops.</summary>
public sealed class ReconnectOptions
{
    /// <summary>Delay before the first retry; later retries grow exponentially from it.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on the delay, so a PBX that comes back is found again within this time.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Delay after Asterisk refused our credentials. Retrying fast cannot help (and can lock the
    /// account on PBXs with fail2ban), but an administrator may fix the user on the PBX side.
    /// </summary>
    public TimeSpan AuthFailureDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a session must last to count as stable: after a shorter one the backoff goes on
    /// growing (a PBX that accepts and drops at once is not hammered); after a longer one the
    /// next session starts at once and the backoff starts again from zero.
    /// </summary>
    public TimeSpan StableSession { get; set; } = TimeSpan.FromSeconds(10);
}
