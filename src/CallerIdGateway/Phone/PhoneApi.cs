using System.Security.Claims;
using CallerIdGateway.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Phone;

public static class PhoneApi
{
    public static IEndpointRouteBuilder MapPhone(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/phone/settings", Settings).WithTags("Phone").RequireAuthorization()
            .WithSummary("The signed-in agent's SIP account for the dashboard's browser phone (404 when the agent has none).");
        return app;
    }

    internal static Results<Ok<PhoneSettings>, ProblemHttpResult> Settings(
        ClaimsPrincipal user, HttpContext http, IOptionsMonitor<AuthOptions> auth, IOptionsMonitor<PhoneOptions> phone)
    {
        // A password is for the agent it belongs to: only the dashboard's cookie gets it, never an API key.
        if (user.Identity?.AuthenticationType != CookieAuthenticationDefaults.AuthenticationScheme)
        {
            return TypedResults.Problem(title: "The browser phone is for agents signed in to the dashboard",
                detail: "API keys get no SIP credentials.", statusCode: StatusCodes.Status403Forbidden);
        }
        var account = auth.CurrentValue.Users
            .FirstOrDefault(u => string.Equals(u.Username, user.Identity.Name, StringComparison.OrdinalIgnoreCase))?.Phone;
        if (account is null || (account.Username.Length == 0 && account.SipUri.Length == 0))
        {
            return TypedResults.Problem(title: "No browser phone for this agent",
                detail: "Auth:Users:N:Phone is not set for this agent.", statusCode: StatusCodes.Status404NotFound);
        }

        var shared = phone.CurrentValue;
        var webSocketUrl = account.WebSocketUrl.Length > 0 ? account.WebSocketUrl : shared.WebSocketUrl;
        var sipUri = account.SipUri.Length > 0 ? account.SipUri
            : shared.Domain.Length > 0 && account.Username.Length > 0 ? $"sip:{account.Username}@{shared.Domain}" : "";
        var username = account.Username.Length > 0 ? account.Username : UserPart(sipUri);
        var missing = new[]
        {
            webSocketUrl.Length == 0 ? "WebSocketUrl (Phone:WebSocketUrl or the agent's Phone:WebSocketUrl)" : null,
            sipUri.Length == 0 ? "SipUri (the agent's Phone:SipUri, or Phone:Domain with the agent's Phone:Username)" : null,
            account.Password.Length == 0 ? "the agent's Phone:Password" : null,
        }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            return TypedResults.Problem(title: "The browser phone is configured only in part",
                detail: $"Missing: {string.Join("; ", missing)}.", statusCode: StatusCodes.Status409Conflict);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new PhoneSettings(webSocketUrl, sipUri, username, account.Password,
            account.DisplayName.Length > 0 ? account.DisplayName : null));
    }

    private static string UserPart(string sipUri)
    {
        var start = sipUri.IndexOf(':', StringComparison.Ordinal) + 1;
        var at = sipUri.IndexOf('@', StringComparison.Ordinal);
        return at > start ? sipUri[start..at] : "";
    }
}
