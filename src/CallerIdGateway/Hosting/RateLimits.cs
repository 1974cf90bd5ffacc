using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Hosting;

/// <summary>The request rate limits (the built-in rate limiter): policies the endpoints name, 429 with <c>Retry-After</c> beyond them.</summary>
public static class RateLimits
{
    public const string LookupPolicy = "lookup";
    public const string DialplanPolicy = "dialplan";

    public static IHostApplicationBuilder AddRequestRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitsOptions>()
            .BindConfiguration(RateLimitsOptions.Section)
            .Validate(o => Valid(o.Lookup), "RateLimits:Lookup: PermitsPerSecond must be 0 (off) to 1000000 and Burst 1 to 1000000.")
            .Validate(o => Valid(o.Dialplan), "RateLimits:Dialplan: PermitsPerSecond must be 0 (off) to 1000000 and Burst 1 to 1000000.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitsOptions>>((o, limits) =>
        {
            // Partitioned before authentication runs: by the configured key a request offers, else by its address,
            // so guessing keys (each one a new partition otherwise) counts against the guesser's address.
            o.AddPolicy(LookupPolicy, http => Partition(limits.Value.Lookup, KnownKey(http) is { } name ? "key:" + name : Address(http)));
            o.AddPolicy(DialplanPolicy, http => Partition(limits.Value.Dialplan, Address(http)));
            o.OnRejected = RejectAsync;
        });
        return builder;
    }

    private static bool Valid(RateLimit limit) => limit.PermitsPerSecond is >= 0 and <= 1_000_000 && limit.Burst is >= 1 and <= 1_000_000;

    private static RateLimitPartition<string> Partition(RateLimit limit, string client) =>
        limit.PermitsPerSecond == 0
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(limit.Burst, 1),
                TokensPerPeriod = limit.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    private static string Address(HttpContext http) => "address:" + http.Connection.RemoteIpAddress;

    /// <summary>The name of the configured API key the request carries (<c>X-Api-Key</c> or a bearer token), or null.</summary>
    private static string? KnownKey(HttpContext http)
    {
        var request = http.Request;
        var key = request.Headers[Auth.ApiKeyAuthenticationHandler.Header].ToString();
        if (key.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }
        if (key.Length == 0)
        {
            return null;
        }
        // Digests of equal length, compared in constant time, as the authentication handler does.
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        foreach (var client in http.RequestServices.GetRequiredService<IOptionsMonitor<Auth.AuthOptions>>().CurrentValue.ApiKeys)
        {
            if (client.Key.Length > 0 && CryptographicOperations.FixedTimeEquals(offered, SHA256.HashData(Encoding.UTF8.GetBytes(client.Key))))
            {
                return client.Name;
            }
        }
        return null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == DialplanPolicy)
        {
            // CURL() would put any body on the phone's display as the caller's name.
            if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            return;
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many requests from this client; try again in {seconds} s.",
            },
        });
    }
}
