using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// Whether a signed-in principal still stands, checked on every request and hub call, and the end of
/// those that do not: a session signed out, an agent removed from <c>Auth:Users</c> or whose password
/// hash or extensions changed, an API key removed or narrowed. Each principal carries a stamp of the
/// configuration entry it was issued from; a reload that changes the entry changes the stamp. Open hub
/// connections are tracked so that they are closed at once, not at their next call.
/// </summary>
/// <remarks>
/// Signed-out sessions are remembered in memory for <see cref="AuthOptions.SessionLifetime"/>, the
/// longest a copy of their cookie could live; a restart forgets them (docs/security.md).
/// </remarks>
public sealed partial class Sessions : IDisposable
{
    public const string SessionIdClaim = "sid";
    public const string StampClaim = "stamp";

    private readonly IMemoryCache _revoked;
    private readonly IOptionsMonitor<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Sessions> _logger;
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private readonly IDisposable? _onChange;

    public Sessions(IMemoryCache revoked, IOptionsMonitor<AuthOptions> options, TimeProvider time, ILogger<Sessions> logger)
    {
        _revoked = revoked;
        _options = options;
        _time = time;
        _logger = logger;
        _onChange = options.OnChange(_ => EndStaleConnections());
    }

    /// <summary>The claims that tie a new dashboard session to its configuration entry.</summary>
    public static IEnumerable<Claim> NewSession(AgentUser user) =>
        [new Claim(SessionIdClaim, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))), new Claim(StampClaim, Stamp(user))];

    public static Claim StampOf(ApiKeyClient client) => new(StampClaim, Stamp(client));

    public bool IsCurrent(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true } identity || principal.FindFirstValue(StampClaim) is not { } stamp)
        {
            return false;
        }
        var options = _options.CurrentValue;
        return identity.AuthenticationType switch
        {
            CookieAuthenticationDefaults.AuthenticationScheme =>
                principal.FindFirstValue(SessionIdClaim) is { } session
                && !_revoked.TryGetValue(RevokedKey(session), out _)
                && options.Users.Any(u => string.Equals(u.Username, identity.Name, StringComparison.OrdinalIgnoreCase) && Stamp(u) == stamp),
            ApiKeyAuthenticationHandler.SchemeName => options.ApiKeys.Any(k => k.Name == identity.Name && Stamp(k) == stamp),
            _ => false,
        };
    }

    /// <summary>Ends a dashboard session: its cookie no longer answers, and its hub connections close.</summary>
    public void SignedOut(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(SessionIdClaim) is not { } session)
        {
            return;
        }
        var until = _time.GetUtcNow() + _options.CurrentValue.SessionLifetime;
        Revoke(session, until);
        SessionEnded?.Invoke(session, until);
    }

    /// <summary>A sign-out, with how long its cookie could live: other instances are told (Scaling/SharedSessions.cs).</summary>
    public event Action<string, DateTimeOffset>? SessionEnded;

    /// <summary>Ends session <paramref name="session"/> until <paramref name="until"/>, signed out here or on another instance.</summary>
    public void Revoke(string session, DateTimeOffset until)
    {
        _revoked.Set(RevokedKey(session), true, until);
        foreach (var connection in _connections.Values.Where(c => c.User?.FindFirstValue(SessionIdClaim) == session))
        {
            connection.Abort();
        }
    }

    /// <summary>Cookie check on every request: a stale session is refused and its cookie removed.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (!IsCurrent(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Follows a hub connection until <see cref="Forget"/>; false when its principal no longer stands.</summary>
    public bool Track(HubCallerContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        if (IsCurrent(connection.User))
        {
            return true;
        }
        Forget(connection.ConnectionId);
        return false;
    }

    public void Forget(string connectionId) => _connections.TryRemove(connectionId, out _);

    private void EndStaleConnections()
    {
        foreach (var connection in _connections.Values.Where(c => !IsCurrent(c.User)))
        {
            LogConnectionEnded(_logger, connection.User?.Identity?.Name ?? "unknown");
            connection.Abort();
        }
    }

    private static string Stamp(AgentUser user) => Stamp("agent", user.PasswordHash, user.Extensions);

    private static string Stamp(ApiKeyClient client) => Stamp("key", client.Key, client.Extensions);

    private static string Stamp(string kind, string secret, IEnumerable<string> extensions)
    {
        var text = $"{kind}\n{secret}\n{string.Join(",", extensions.Select(e => e.Trim()).Order(StringComparer.Ordinal))}";
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);
    }

    private static string RevokedKey(string session) => "session-ended:" + session;

    public void Dispose() => _onChange?.Dispose();

    [LoggerMessage(LogLevel.Information, "Hub connection of {Name} closed: its credentials changed in Auth")]
    private static partial void LogConnectionEnded(ILogger logger, string name);
}
