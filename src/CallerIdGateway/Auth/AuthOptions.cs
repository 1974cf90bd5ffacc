namespace CallerIdGateway.Auth;

/// <summary>Settings of section <c>Auth</c>: who may see calls, and of which extensions.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Agents who sign in to the dashboard. Hash passwords with <c>dotnet run --project src/CallerIdGateway -- hash-password</c>.</summary>
    public List<AgentUser> Users { get; set; } = [];

    /// <summary>Machine clients (the Flutter app, scripts): <c>X-Api-Key</c> header for REST, <c>access_token</c> query for the hub.</summary>
    public List<ApiKeyClient> ApiKeys { get; set; } = [];

    /// <summary>Browser origins allowed to call the API and the hub from another site, e.g. the invoicing app.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Failed sign-ins allowed per client address and user name in <see cref="SignInWindow"/>.</summary>
    public int SignInAttempts { get; set; } = 5;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in requests allowed per client address in <see cref="SignInWindow"/>, whatever the user names.</summary>
    public int SignInsPerAddress { get; set; } = 20;

    /// <summary>Passwords checked at once; each check is a deliberately slow hash, and calls must keep a core.</summary>
    public int SignInConcurrency { get; set; } = 1;

    /// <summary>How long a dashboard sign-in lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>An agent: <c>Extensions: ["1008"]</c>, or <c>["*"]</c> for a supervisor who sees every extension.</summary>
public sealed class AgentUser
{
    public string Username { get; set; } = "";

    /// <summary>An ASP.NET Core Identity password hash (PBKDF2), never the password itself.</summary>
    public string PasswordHash { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public List<string> Extensions { get; set; } = [];

    /// <summary>This agent's browser phone (docs/browser-phone.md); none when not set.</summary>
    public CallerIdGateway.Phone.AgentPhone? Phone { get; set; }
}

public sealed class ApiKeyClient
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary><c>["*"]</c> = all extensions.</summary>
    public List<string> Extensions { get; set; } = [];
}
