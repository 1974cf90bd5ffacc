using System.Collections.Concurrent;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using CallerIdGateway.PhoneNumbers;

namespace CallerIdGateway.Calls;

/// <summary>
/// Turns tracker changes into <see cref="CustomerCallData"/>: the other party is resolved (and its number normalized) once, when
/// the call starts ringing (and again when the call turns to another party, as a transfer does), and
/// that result travels with every later change of the call. A lookup that
/// answered "unavailable" (the database was slow or down) is tried again while the call is active,
/// and its answer goes out as one more change of the call's current state. Changes of one call are
/// delivered in order; different calls never wait for each other.
/// </summary>
public sealed partial class CallPublisher(
    CallerResolver resolver,
    PhoneNumberNormalizer normalizer,
    IEnumerable<ICallNotifier> notifiers,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<CallPublisher> logger)
    : ICallChangeHandler
{
    /// <summary>
    /// Pause between tries of an "unavailable" lookup. Cheap while the database is shunned (the
    /// resolver's breaker answers at once) and at most one budget per try otherwise.
    /// </summary>
    internal static readonly TimeSpan UnavailableRetryDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string CallId, string Extension), CallPipe> _pipes = new();

    public void OnCallChanged(CallInfo call)
    {
        var key = (call.Id, call.Extension);
        var pipe = _pipes.GetOrAdd(key, _ => new CallPipe(call));
        lock (pipe)
        {
            pipe.Latest = call;
            if (pipe.Lookup is null || pipe.Number != call.LookupNumber)
            {
                // The first change, or someone else now: a consultation became the customer's call, a
                // click-to-call leg dialled another number.
                pipe.Number = call.LookupNumber;
                pipe.Lookup = Resolve(call.LookupNumber);
                // A colleague is not looked up; the call still carries the normalized form of the extension.
                pipe.ColleagueNumber = call.LookupNumber is null ? normalizer.NormalizeOrNull(call.RemoteNumber) : null;
                _ = RetryWhileUnavailableAsync(pipe, pipe.Lookup, call.LookupNumber);
            }
            pipe.Tail = PublishAsync(pipe.Tail, pipe, call, isLookupUpdate: false);
        }
        if (!call.IsActive)
        {
            // The last change of this call: forget it once delivered (a re-ring starts a new pipe).
            var tail = pipe.Tail;
            _ = tail.ContinueWith(_ => _pipes.TryRemove(new KeyValuePair<(string, string), CallPipe>(key, pipe)), TaskScheduler.Default);
        }
    }

    /// <summary>The customer behind a number; a colleague's call (no number to look up) is not looked up.</summary>
    private Task<CustomerCallData> Resolve(string? number) => number is null
        ? Task.FromResult(new CustomerCallData { Lookup = LookupStatus.Colleague })
        : resolver.ResolveAsync(number, CancellationToken.None);

    /// <summary>Waits until every queued notification has been delivered: the call log, stopping, stores what they carried.</summary>
    public Task DrainAsync() => Task.WhenAll(_pipes.Values.Select(p => p.Tail));

    private async Task PublishAsync(Task previous, CallPipe pipe, CallInfo call, bool isLookupUpdate)
    {
        await previous;
        // Read now, not when the change was queued: a change carries the newest lookup result.
        var lookup = await pipe.Lookup!;
        if (isLookupUpdate && pipe.PublishedLookup != LookupStatus.Unavailable)
        {
            return; // a change of the call since then already carried the new result
        }
        pipe.PublishedLookup = lookup.Lookup;
        string? colleague;
        lock (pipe)
        {
            colleague = pipe.ColleagueNumber;
        }
        // The number as the resolver normalized it for the lookup: normalized once per lookup, not again here.
        var published = call with { NormalizedNumber = lookup.Number?.Normalized ?? colleague };
        var data = lookup with { Call = published };
        // Side by side: the push to the screens must not wait for the call log's database write.
        await Task.WhenAll(notifiers.Select(notifier => NotifyAsync(notifier, published, data)));
    }

    private async Task RetryWhileUnavailableAsync(CallPipe pipe, Task<CustomerCallData> lookup, string? number)
    {
        var first = await lookup;
        if (first.Lookup != LookupStatus.Unavailable || number is null)
        {
            return;
        }
        var stopping = lifetime.ApplicationStopping;
        CustomerCallData result;
        try
        {
            do
            {
                await Task.Delay(UnavailableRetryDelay, time, stopping);
                if (!IsCurrent(pipe, number))
                {
                    return;
                }
                result = await resolver.ResolveAsync(number, stopping);
            }
            while (result.Lookup == LookupStatus.Unavailable);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }

        lock (pipe)
        {
            if (pipe.Number != number)
            {
                return; // the call has turned to someone else, looked up anew
            }
            pipe.Lookup = Task.FromResult(result);
            if (pipe.Latest.IsActive)
            {
                pipe.Tail = PublishAsync(pipe.Tail, pipe, pipe.Latest, isLookupUpdate: true);
            }
        }
    }

    /// <summary>The call is still active and still about <paramref name="number"/>.</summary>
    private static bool IsCurrent(CallPipe pipe, string number)
    {
        lock (pipe)
        {
            return pipe.Latest.IsActive && pipe.Number == number;
        }
    }

    private async Task NotifyAsync(ICallNotifier notifier, CallInfo call, CustomerCallData data)
    {
        try
        {
            await notifier.NotifyAsync(call, data, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogNotifierFailed(logger, notifier.GetType().Name, call.Id, e);
        }
    }

    /// <summary>One call on one extension; every member is read and written under its lock, except <see cref="PublishedLookup"/>, which only its chain of publications touches.</summary>
    private sealed class CallPipe(CallInfo first)
    {
        public CallInfo Latest { get; set; } = first;

        /// <summary>The number <see cref="Lookup"/> resolves (null: a colleague's call, not looked up).</summary>
        public string? Number { get; set; }

        public Task<CustomerCallData>? Lookup { get; set; }

        /// <summary>For a colleague's call (not looked up): the normalized form of the colleague's number.</summary>
        public string? ColleagueNumber { get; set; }

        public Task Tail { get; set; } = Task.CompletedTask;

        public LookupStatus? PublishedLookup { get; set; }
    }

    [LoggerMessage(LogLevel.Error, "{Notifier} failed for call {CallId}")]
    private static partial void LogNotifierFailed(ILogger logger, string notifier, string callId, Exception exception);
}
