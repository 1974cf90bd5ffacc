using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>Checks agents and API keys at start and on every reload, naming the key that is wrong.</summary>
internal sealed class AuthOptionsValidator(IPasswordHasher<AgentUser> hasher) : IValidateOptions<AuthOptions>
{
    public const int MinApiKeyLength = 16;

    // Whether a hash is the empty password's: one slow hash per distinct value, not per reload.
    private static readonly ConcurrentDictionary<string, bool> EmptyPasswordHashes = new();

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var key = $"{AuthOptions.Section}:Users:{i}";
            if (string.IsNullOrWhiteSpace(user.Username))
            {
                failures.Add($"{key}:Username is missing.");
            }
            else if (options.Users.Take(i).Any(u => string.Equals(u.Username, user.Username, StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{key}:Username '{user.Username}' is used twice.");
            }
            if (user.Extensions.Count == 0)
            {
                failures.Add($"{key}:Extensions is missing: e.g. [\"1008\"], or [\"*\"] for a supervisor.");
            }
            if (PasswordHashProblem(user) is { } problem)
            {
                failures.Add($"{key}:PasswordHash {problem}; make one with `dotnet run --project src/CallerIdGateway -- hash-password`.");
            }
        }
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var client = options.ApiKeys[i];
            var key = $"{AuthOptions.Section}:ApiKeys:{i}";
            if (client.Key.Length < MinApiKeyLength)
            {
                failures.Add($"{key}:Key must be at least {MinApiKeyLength} characters.");
            }
            if (client.Extensions.Count == 0)
            {
                failures.Add($"{key}:Extensions is missing: e.g. [\"1008\"], or [\"*\"] for all.");
            }
        }
        if (options.SignInAttempts < 1 || options.SignInsPerAddress < 1 || options.SignInConcurrency < 1)
        {
            failures.Add($"{AuthOptions.Section}:SignInAttempts, :SignInsPerAddress and :SignInConcurrency must be at least 1.");
        }
        if (options.SignInWindow <= TimeSpan.Zero || options.SessionLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{AuthOptions.Section}:SignInWindow and :SessionLifetime must be longer than zero.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? PasswordHashProblem(AgentUser user)
    {
        if (string.IsNullOrWhiteSpace(user.PasswordHash))
        {
            return "is missing";
        }
        // Identity's format: base64 of a version byte (0x00 v2, 0x01 v3) and the salted PBKDF2 output.
        var bytes = new byte[user.PasswordHash.Length];
        if (!Convert.TryFromBase64String(user.PasswordHash, bytes, out var length) || length < 16 || bytes[0] > 0x01)
        {
            return "is not a password hash";
        }
        var empty = EmptyPasswordHashes.GetOrAdd(user.PasswordHash,
            hash => hasher.VerifyHashedPassword(user, hash, "") != PasswordVerificationResult.Failed);
        return empty ? "is the hash of an empty password" : null;
    }
}
