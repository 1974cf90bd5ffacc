using Polly;
using Polly.Retry;

namespace CallerIdGateway.Asterisk;

/// <summary>
/// Builds the Polly pipeline that both protocol clients run their connect attempt through:
/// exponential backoff with jitter, capped, retrying forever until cancelled. Failures that
/// retrying cannot fix (wrong credentials, see <see cref="AsteriskAuthenticationException"/>)
/// are not handled here, so they surface to the caller once instead of looping fast.
/// </summary>
public static class ReconnectPipeline
{
    public static ResiliencePipeline Create(ReconnectOptions options, Action<Exception?, int, TimeSpan>? onRetry = null, TimeProvider? timeProvider = null)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not AsteriskAuthenticationException and not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.InitialDelay,
            MaxDelay = options.MaxDelay,
            OnRetry = args =>
            {
                onRetry?.Invoke(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
        var builder = new ResiliencePipelineBuilder().AddRetry(retry);
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }
        return builder.Build();
    }
}

/// <summary>Asterisk refused the configured credentials (ARI 401, AMI "Authentication failed").</summary>
public sealed class AsteriskAuthenticationException(string message) : Exception(message);
