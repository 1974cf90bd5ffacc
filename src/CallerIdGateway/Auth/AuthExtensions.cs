using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

public static class AuthExtensions
{
    /// <summary>Agents by cookie, machines by API key; everything under /api and /hubs needs one of them.</summary>
    public static IHostApplicationBuilder AddGatewayAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        var settings = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        builder.Services.AddSingleton<IPasswordHasher<AgentUser>, PasswordHasher<AgentUser>>();
        builder.Services.AddAuthentication(o => o.DefaultScheme = "Gateway")
            // A request with an API key is judged by the key; anything else by the dashboard's cookie.
            .AddPolicyScheme("Gateway", "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.HasKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "callerid.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = settings.SessionLifetime;
                // An API, not pages: say 401/403 instead of redirecting to a login page.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                // Every request: a session signed out, or whose agent changed or went, stops here.
                o.Events.OnValidatePrincipal = c => c.HttpContext.RequestServices.GetRequiredService<Sessions>().ValidateAsync(c);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<SessionHubFilter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<SessionHubFilter>());
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<PasswordCheck>();
        builder.Services.AddRateLimiter(o => o.AddPolicy<string, SignInRateLimiterPolicy>(SignInRateLimiterPolicy.Name));

        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins([.. settings.CorsOrigins])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .AllowCredentials()));
        return builder;
    }

    public static WebApplication UseGatewayAuth(this WebApplication app)
    {
        app.UseCors();
        app.UseHubOriginCheck();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
