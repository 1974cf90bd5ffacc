using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimiterPolicy.Name)
            .WithSummary("Signs an agent in to the dashboard (sets the session cookie).");
        group.MapPost("/logout", (Delegate)SignOutAsync).AllowAnonymous();
        group.MapGet("/me", Me).RequireAuthorization()
            .WithSummary("Who is signed in, and which extensions they see.");
        return app;
    }

    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record Principal(string Name, string DisplayName, IReadOnlyList<string> Extensions, bool SeesAllExtensions);

    internal static async Task<Results<Ok<Principal>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, IOptionsMonitor<AuthOptions> options, PasswordCheck passwords, SignInThrottle throttle)
    {
        var client = ClientAddress.Of(http);
        var username = request.Username ?? "";
        if (!throttle.TryBegin(client, username, out var retryAfter))
        {
            return RetryLater(http, retryAfter, StatusCodes.Status429TooManyRequests, "Too many failed sign-ins");
        }

        var user = options.CurrentValue.Users.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
        switch (await passwords.TryVerifyAsync(user, request.Password ?? "", http.RequestAborted))
        {
            case null:
                throttle.NotChecked(client, username);
                return RetryLater(http, PasswordCheck.Wait, StatusCodes.Status503ServiceUnavailable, "Too many sign-ins at once");
            case false:
                return TypedResults.Problem(title: "Wrong user name or password", statusCode: StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(client, username);
        var identity = GatewayClaims.Identity(CookieAuthenticationDefaults.AuthenticationScheme, user!.Username, user.DisplayName, user.Extensions);
        identity.AddClaims(Sessions.NewSession(user));
        var principal = new ClaimsPrincipal(identity);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = true });
        return TypedResults.Ok(Describe(principal));
    }

    private static ProblemHttpResult RetryLater(HttpContext http, TimeSpan retryAfter, int status, string title)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: title, detail: $"Try again in {seconds} seconds.", statusCode: status);
    }

    /// <summary>Ends the session for good: the cookie is removed, and a copy of it no longer answers.</summary>
    internal static async Task<IResult> SignOutAsync(HttpContext http, Sessions sessions)
    {
        sessions.SignedOut(http.User);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    internal static Ok<Principal> Me(ClaimsPrincipal user) => TypedResults.Ok(Describe(user));

    private static Principal Describe(ClaimsPrincipal user) =>
        new(user.Identity!.Name!, user.FindFirstValue("display_name") ?? user.Identity.Name!, user.Extensions(), user.SeesAll());
}
