using CallerIdGateway.Auth;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Hosting;

/// <summary>
/// A production gateway with no agents and no API keys runs, but nobody can see a call: say so at
/// start, with how to add the first agent, instead of leaving the administrator at a sign-in page that refuses everyone.
/// </summary>
internal sealed partial class SignInWarning(
    IOptions<AuthOptions> auth, IHostEnvironment environment, IHostApplicationLifetime lifetime, ILogger<SignInWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsProduction() && auth.Value.Users.Count == 0 && auth.Value.ApiKeys.Count == 0)
        {
            // Once started: a start that fails for another reason ends with that one line alone.
            lifetime.ApplicationStarted.Register(() => LogNobodyCanSignIn(logger));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Nobody can sign in: Auth:Users and Auth:ApiKeys are empty. Add the first agent: make a password hash with "
        + "'CallerIdGateway hash-password', then set Auth__Users__0__Username, Auth__Users__0__PasswordHash and Auth__Users__0__Extensions__0 "
        + "(an extension, or * for a supervisor) and restart; see README, Deploying")]
    private static partial void LogNobodyCanSignIn(ILogger logger);
}
