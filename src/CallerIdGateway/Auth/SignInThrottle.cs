using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// Counts failed sign-ins per client address and user name: after <see cref="AuthOptions.SignInAttempts"/>
/// failures within <see cref="AuthOptions.SignInWindow"/>, further tries are refused until the window
/// passes. Successful sign-ins cost nothing and clear the count.
/// </summary>
public sealed class SignInThrottle(IMemoryCache cache, IOptionsMonitor<AuthOptions> options, TimeProvider time)
{
    public bool IsBlocked(string client, string username, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (cache.TryGetValue(Key(client, username), out Failures? failures) && failures!.Count >= options.CurrentValue.SignInAttempts)
        {
            retryAfter = failures.Until - time.GetUtcNow();
            return retryAfter > TimeSpan.Zero;
        }
        return false;
    }

    public void Failed(string client, string username)
    {
        var key = Key(client, username);
        var failures = cache.GetOrCreate(key, entry =>
        {
            var until = time.GetUtcNow() + options.CurrentValue.SignInWindow;
            entry.AbsoluteExpiration = until;
            return new Failures(until);
        })!;
        Interlocked.Increment(ref failures.Count);
    }

    public void Succeeded(string client, string username) => cache.Remove(Key(client, username));

    private static string Key(string client, string username) => $"sign-in:{client}:{username.ToLowerInvariant()}";

    private sealed class Failures(DateTimeOffset until)
    {
        public int Count;

        public DateTimeOffset Until { get; } = until;
    }
}
