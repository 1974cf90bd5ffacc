using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", SignInAsync).AllowAnonymous()
            .WithSummary("Signs an agent in to the dashboard (sets the session cookie).");
        group.MapPost("/logout", (Delegate)SignOutAsync).AllowAnonymous();
        group.MapGet("/me", Me).RequireAuthorization()
            .WithSummary("Who is signed in, and which extensions they see.");
        return app;
    }

    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record Principal(string Name, string DisplayName, IReadOnlyList<string> Extensions, bool SeesAllExtensions);

    internal static async Task<Results<Ok<Principal>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, IOptionsMonitor<AuthOptions> options, IPasswordHasher<AgentUser> hasher, SignInThrottle throttle)
    {
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "";
        var username = request.Username ?? "";
        if (throttle.IsBlocked(client, username, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many failed sign-ins", detail: $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        var user = options.CurrentValue.Users.FirstOrDefault(u => string.Equals(u.Username, request.Username, StringComparison.OrdinalIgnoreCase));
        // Hash even for an unknown user, so the answer time does not tell which user names exist.
        var verified = hasher.VerifyHashedPassword(user ?? Decoy, user?.PasswordHash ?? Decoy.PasswordHash, request.Password ?? "");
        if (user is null || verified == PasswordVerificationResult.Failed)
        {
            throttle.Failed(client, username);
            return TypedResults.Problem(title: "Wrong user name or password", statusCode: StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(client, username);
        var identity = GatewayClaims.Identity(CookieAuthenticationDefaults.AuthenticationScheme, user.Username, user.DisplayName, user.Extensions);
        var principal = new ClaimsPrincipal(identity);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = true });
        return TypedResults.Ok(Describe(principal));
    }

    internal static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    internal static Ok<Principal> Me(ClaimsPrincipal user) => TypedResults.Ok(Describe(user));

    private static Principal Describe(ClaimsPrincipal user) =>
        new(user.Identity!.Name!, user.FindFirstValue("display_name") ?? user.Identity.Name!, user.Extensions(), user.SeesAll());

    private static readonly AgentUser Decoy = new()
    {
        Username = "decoy",
        PasswordHash = new PasswordHasher<AgentUser>().HashPassword(new AgentUser(), Guid.NewGuid().ToString()),
    };
}
