using System.Diagnostics.Metrics;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Hosting;

/// <summary>
/// The gateway's own meter, <c>CallerIdGateway</c>: what a call did and how fast the card followed,
/// plus the state of the links read when scraped (observable instruments cost nothing between scrapes).
/// Exported on <c>/metrics</c> with ASP.NET Core's, Kestrel's, SignalR's and the runtime's meters.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "CallerIdGateway";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _lookups;
    private readonly Histogram<double> _ringToScreen;
    private readonly Histogram<double> _lookupDuration;
    private readonly Histogram<double> _phoneIndexSync;
    private readonly Counter<long> _callLogWriteFailures;
    private readonly TimeProvider _time;

    /// <param name="meters">Where the meter comes from (one per host, so test hosts in one process do not mix).</param>
    /// <param name="services">The sources and the call log, asked when scraped: they depend (through the tracker and the publisher) on this.</param>
    /// <param name="index">The number index.</param>
    /// <param name="time">The gateway's clock.</param>
    public GatewayMetrics(IMeterFactory meters, IServiceProvider services, PhoneIndex index, TimeProvider time)
    {
        _time = time;
        var ari = new Lazy<AriCallSource>(services.GetRequiredService<AriCallSource>);
        var ami = new Lazy<AmiCallSource>(services.GetRequiredService<AmiCallSource>);
        var callLog = new Lazy<CallLog>(services.GetRequiredService<CallLog>);
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("callerid.calls", "{call}",
            "Calls that reached a state (ringing, answered, ended, missed, answeredElsewhere), per extension's call, by state and direction (inbound, outbound, internal).");
        _pushes = meter.CreateCounter<long>("callerid.pushes", "{push}", "Call changes pushed to the dashboards and hub clients.");
        _lookups = meter.CreateCounter<long>("callerid.lookups", "{lookup}", "Caller lookups of ringing calls by result (found, notFound, noNumber, unavailable).");
        _ringToScreen = meter.CreateHistogram<double>("callerid.ring_to_screen", "s", "From the ring event's arrival to the card's push.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _lookupDuration = meter.CreateHistogram<double>("callerid.lookup.duration", "s",
            "Time the database took to answer a caller lookup (cache misses only; the budget when it gave up), by result (found, notFound, unavailable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _phoneIndexSync = meter.CreateHistogram<double>("callerid.phone_index.sync.duration", "s",
            "One pass of the number index over customers.phone_numbers (Database:PhoneIndexSyncInterval), failed passes included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
        _callLogWriteFailures = meter.CreateCounter<long>("callerid.call_log.write_failures", "{failure}",
            "Writes of a batch of call changes that the database did not take (the changes are kept and retried).");
        meter.CreateObservableGauge("callerid.call_log.queue", () => callLog.Value.Backlog, "{call}",
            "Calls whose last change waits to be written to the call log (Gateway:CallLogBacklog at most).");
        meter.CreateObservableGauge("callerid.source.connected", () => new[]
        {
            Connected("ari", ari.Value.Enabled, ari.Value.Connection?.State == Asterisk.ConnectionState.Connected),
            Connected("ami", ami.Value.Enabled, ami.Value.Connection?.State == Asterisk.ConnectionState.Connected),
        }.OfType<Measurement<int>>(), "1", "1 while the Asterisk source is connected, 0 while not (enabled sources only).");
        meter.CreateObservableGauge("callerid.source.state", () => new[]
        {
            State("ari", ari.Value.Enabled, ari.Value.Connection is { } s ? SourceHealthCheck.StateName(s.State, s.LastError) : "starting"),
            State("ami", ami.Value.Enabled, ami.Value.Connection is { } c ? SourceHealthCheck.StateName(c.State, c.LastError) : "starting"),
        }.OfType<Measurement<int>>(), "1",
            "1 for the Asterisk source's state now (connected, reconnecting, authenticationFailed, replaced, starting), as /health/ready says it.");
        meter.CreateObservableCounter("callerid.source.reconnects", () => new[]
        {
            ari.Value.Enabled ? new Measurement<long>(Math.Max(0, (ari.Value.Connection?.Sessions ?? 0) - 1), new KeyValuePair<string, object?>("source", "ari")) : (Measurement<long>?)null,
            ami.Value.Enabled ? new Measurement<long>(Math.Max(0, (ami.Value.Connection?.Sessions ?? 0) - 1), new KeyValuePair<string, object?>("source", "ami")) : null,
        }.OfType<Measurement<long>>(), "{reconnect}", "Sessions opened after the first.");
        meter.CreateObservableGauge("callerid.phone_index.lag", () => index.LastSynchronizedAt is { } last
            ? [new Measurement<double>((time.GetUtcNow() - last).TotalSeconds)]
            : Array.Empty<Measurement<double>>(), "s", "Time since the number index last caught up with customers.phone_numbers.");
    }

    private static Measurement<int>? Connected(string source, bool enabled, bool connected) =>
        enabled ? new Measurement<int>(connected ? 1 : 0, new KeyValuePair<string, object?>("source", source)) : null;

    private static Measurement<int>? State(string source, bool enabled, string state) => enabled
        ? new Measurement<int>(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("state", state))
        : null;

    /// <summary>A caller lookup that asked the database (the cache did not know the number).</summary>
    public void LookupAnswered(TimeSpan elapsed, LookupStatus result) =>
        _lookupDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", ContractJson.Name(result)));

    /// <summary>One pass of the number index, whether or not it succeeded.</summary>
    public void PhoneIndexSynchronized(TimeSpan elapsed) => _phoneIndexSync.Record(elapsed.TotalSeconds);

    /// <summary>The database did not take a batch of call-log writes.</summary>
    public void CallLogWriteFailed() => _callLogWriteFailures.Add(1);

    internal void Pushed(CallInfo call, CustomerCallData data, bool stateChanged, bool firstRing)
    {
        _pushes.Add(1);
        if (stateChanged)
        {
            _calls.Add(1, new KeyValuePair<string, object?>("state", ContractJson.Name(call.State)),
                new KeyValuePair<string, object?>("direction", ContractJson.Name(call.Direction)));
        }
        if (firstRing)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", ContractJson.Name(data.Lookup)));
            _ringToScreen.Record(Math.Max(0, (_time.GetUtcNow() - call.StartedAt).TotalSeconds));
        }
    }
}
