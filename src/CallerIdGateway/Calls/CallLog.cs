using System.Text.Json;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// Writes every call change to <c>gateway_calls</c> (one row per call and extension) and keeps the
/// last payload of each active call in memory, so a client that (re)connects gets the calls it missed.
/// </summary>
public sealed partial class CallLog(IServiceScopeFactory scopes, IOptions<JsonOptions> json, ILogger<CallLog> logger) : ICallNotifier
{
    private readonly Dictionary<(string, string), CustomerCallData> _active = [];
    private readonly Lock _lock = new();

    /// <summary>The latest payload of every call ringing or answered now.</summary>
    public IReadOnlyList<CustomerCallData> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _active.Values.OrderBy(d => d.Call!.StartedAt)];
            }
        }
    }

    public async Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (call.IsActive)
            {
                _active[(call.Id, call.Extension)] = data;
            }
            else
            {
                _active.Remove((call.Id, call.Extension));
            }
        }

        try
        {
            await SaveAsync(call, data, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The push already went out; a database hiccup costs only the history line.
            LogSaveFailed(logger, call.Id, call.Extension, e);
        }
    }

    /// <summary>The newest calls of the given extensions (null = all), missed ones included.</summary>
    public async Task<IReadOnlyList<CustomerCallData>> RecentAsync(IReadOnlyCollection<string>? extensions, int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var query = db.Calls.AsNoTracking();
        if (extensions is not null)
        {
            query = query.Where(c => extensions.Contains(c.Extension));
        }
        var payloads = await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(limit).Select(c => c.Payload).ToListAsync(cancellationToken);
        return payloads.Select(p => JsonSerializer.Deserialize<CustomerCallData>(p, json.Value.SerializerOptions)!).ToList();
    }

    private async Task SaveAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var record = await db.Calls.AsTracking().FirstOrDefaultAsync(c => c.CallId == call.Id && c.Extension == call.Extension, cancellationToken);
        if (record is null)
        {
            record = new CallRecord
            {
                CallId = call.Id,
                Extension = call.Extension,
                CallerNumber = Truncate(call.CallerNumber, 80),
                Lookup = "",
                State = "",
                Source = "",
                Payload = "",
            };
            db.Calls.Add(record);
        }
        record.NormalizedNumber = call.NormalizedNumber;
        record.CustomerId = data.Customer?.Id;
        record.Lookup = JsonNamingPolicy.CamelCase.ConvertName(data.Lookup.ToString());
        record.State = data.Call!.State;
        record.Source = data.Call.Source;
        record.StartedAt = call.StartedAt.UtcDateTime;
        record.AnsweredAt = call.AnsweredAt?.UtcDateTime;
        record.EndedAt = call.EndedAt?.UtcDateTime;
        record.Payload = JsonSerializer.Serialize(data, json.Value.SerializerOptions);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(LogLevel.Warning, "Could not write call {CallId} on {Extension} to the call log")]
    private static partial void LogSaveFailed(ILogger logger, string callId, string extension, Exception exception);
}
