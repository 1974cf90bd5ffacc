using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Auth;

/// <summary>
/// At most <see cref="AuthOptions.SignInsPerAddress"/> sign-in requests per client address in
/// <see cref="AuthOptions.SignInWindow"/>, whatever user names they try; beyond that 429 with
/// <c>Retry-After</c>, before any password is hashed.
/// </summary>
internal sealed class SignInRateLimiterPolicy(IOptionsMonitor<AuthOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "sign-in";

    private const int Segments = 6;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var settings = options.CurrentValue;
        return RateLimitPartition.GetSlidingWindowLimiter(ClientAddress.Of(httpContext), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.SignInsPerAddress,
            Window = settings.SignInWindow,
            SegmentsPerWindow = Segments,
            QueueLimit = 0,
        });
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, cancellationToken) =>
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : options.CurrentValue.SignInWindow / Segments; // a sliding window frees permits segment by segment
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many sign-ins from this address",
                Detail = $"Try again in {seconds} seconds.",
            },
        });
    };
}
