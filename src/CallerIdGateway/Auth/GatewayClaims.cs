using System.Security.Claims;

namespace CallerIdGateway.Auth;

/// <summary>The claims the gateway issues, and what they allow.</summary>
public static class GatewayClaims
{
    /// <summary>One claim per extension the principal may see; the value <see cref="AllExtensions"/> means every one.</summary>
    public const string Extension = "ext";

    public const string AllExtensions = "*";

    public static ClaimsIdentity Identity(string scheme, string name, string displayName, IEnumerable<string> extensions)
    {
        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim("display_name", string.IsNullOrWhiteSpace(displayName) ? name : displayName));
        foreach (var extension in extensions.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct())
        {
            identity.AddClaim(new Claim(Extension, extension));
        }
        return identity;
    }

    public static bool SeesAll(this ClaimsPrincipal user) => user.HasClaim(Extension, AllExtensions);

    public static IReadOnlyList<string> Extensions(this ClaimsPrincipal user) =>
        user.FindAll(Extension).Select(c => c.Value).ToList();

    public static bool MaySee(this ClaimsPrincipal user, string extension) => user.SeesAll() || user.HasClaim(Extension, extension);
}
