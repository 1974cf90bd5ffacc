using System.Security.Cryptography;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// Machine clients: the key in <c>X-Api-Key</c>, as a bearer token (what SignalR clients send to
/// negotiate), or in <c>access_token</c> on the hub's URL (browsers cannot set headers on
/// WebSockets). Keys compare as SHA-256 digests in constant time, so neither the time nor the
/// length of the comparison says anything about a configured key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>Whether a request carries an API key (so the API-key scheme, not the cookie, should judge it).</summary>
    public static bool HasKey(HttpRequest request) => ReadKey(request) is not null;

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var header) && !string.IsNullOrEmpty(header))
        {
            return header;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        return request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token)
            ? token.ToString()
            : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (string.IsNullOrEmpty(key))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var offered = Digest(key);
        ApiKeyClient? match = null;
        foreach (var client in auth.CurrentValue.ApiKeys)
        {
            // Every key is compared, the match does not end the loop early.
            if (client.Key.Length > 0 && Matches(offered, client.Key) && match is null)
            {
                match = client;
            }
        }
        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }
        var identity = GatewayClaims.Identity(SchemeName, match.Name, match.Name, match.Extensions);
        identity.AddClaim(Sessions.StampOf(match));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>Whether an offered key's digest is the configured key's: fixed-length inputs, compared in constant time.</summary>
    internal static bool Matches(byte[] offeredDigest, string configuredKey) =>
        CryptographicOperations.FixedTimeEquals(offeredDigest, Digest(configuredKey));

    internal static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
