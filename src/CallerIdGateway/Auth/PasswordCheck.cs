using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// Checks passwords a few at a time (<see cref="AuthOptions.SignInConcurrency"/>). Each check is a
/// PBKDF2 hash made slow on purpose; unbounded, a flood of sign-ins fills every core and delays
/// the calls' cards. A check that cannot start within <see cref="Wait"/> is not made.
/// </summary>
public sealed class PasswordCheck(IPasswordHasher<AgentUser> hasher, IOptions<AuthOptions> options) : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(options.Value.SignInConcurrency);

    /// <summary>Whether the password matches the user (null: the decoy, so unknown names cost the same); null when too busy to check.</summary>
    public async Task<bool?> TryVerifyAsync(AgentUser? user, string password, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(Wait, cancellationToken))
        {
            return null;
        }
        try
        {
            // Hash even for an unknown user, so the answer time does not tell which user names exist.
            var verified = hasher.VerifyHashedPassword(user ?? Decoy, user?.PasswordHash ?? Decoy.PasswordHash, password);
            return user is not null && verified != PasswordVerificationResult.Failed;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private static readonly AgentUser Decoy = new()
    {
        Username = "decoy",
        PasswordHash = new PasswordHasher<AgentUser>().HashPassword(new AgentUser(), Guid.NewGuid().ToString()),
    };
}
