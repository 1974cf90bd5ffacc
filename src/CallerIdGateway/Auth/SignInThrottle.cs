using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// Counts sign-in attempts per client address and user name: at most <see cref="AuthOptions.SignInAttempts"/>
/// within <see cref="AuthOptions.SignInWindow"/> may be checked, then further tries are refused until the
/// window passes. An attempt takes its place before its password is checked, so parallel guesses cannot
/// all slip past a count that has not been raised yet. A successful sign-in clears the count. The same
/// user name from another address has a count of its own, so a guesser cannot lock the agent out.
/// (<see cref="SignInRateLimiterPolicy"/> limits each address across user names.)
/// </summary>
/// <remarks>With several instances (docs/scaling.md) the counts are kept in Redis and shared; while they cannot be, each instance counts.</remarks>
public sealed class SignInThrottle(IMemoryCache cache, IOptionsMonitor<AuthOptions> options, TimeProvider time, Scaling.SharedCounters? shared = null)
{
    private readonly Lock _gate = new();

    /// <summary>Takes one of the attempts left to <paramref name="client"/> for <paramref name="username"/>; false, with the wait, when none is left.</summary>
    public bool TryBegin(string client, string username, out TimeSpan retryAfter)
    {
        var key = Key(client, username);
        if (shared?.Increment(key, options.CurrentValue.SignInWindow) is { } counted)
        {
            var allowed = counted.Count <= options.CurrentValue.SignInAttempts;
            retryAfter = allowed ? TimeSpan.Zero : counted.Left;
            return allowed;
        }
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!cache.TryGetValue(key, out Attempts? attempts) || attempts!.Until <= now)
            {
                attempts = new Attempts(now + options.CurrentValue.SignInWindow);
                cache.Set(key, attempts, attempts.Until);
            }
            if (attempts.Count >= options.CurrentValue.SignInAttempts)
            {
                retryAfter = attempts.Until - now;
                return false;
            }
            attempts.Count++;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>The password was right: the count starts again.</summary>
    public void Succeeded(string client, string username)
    {
        shared?.Remove(Key(client, username));
        lock (_gate)
        {
            cache.Remove(Key(client, username));
        }
    }

    /// <summary>The attempt was not checked after all (the server was busy): it does not count.</summary>
    public void NotChecked(string client, string username)
    {
        shared?.Decrement(Key(client, username));
        lock (_gate)
        {
            if (cache.TryGetValue(Key(client, username), out Attempts? attempts) && attempts!.Count > 0)
            {
                attempts.Count--;
            }
        }
    }

    private static string Key(string client, string username) => $"sign-in:{client}:{username.ToLowerInvariant()}";

    private sealed class Attempts(DateTimeOffset until)
    {
        public int Count;

        public DateTimeOffset Until { get; } = until;
    }
}
