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
    private readonly TimeProvider _time;

    /// <param name="meters">Where the meter comes from (one per host, so test hosts in one process do not mix).</param>
    /// <param name="services">The sources, asked when scraped: they depend (through the tracker and the publisher) on this.</param>
    /// <param name="index">The number index.</param>
    /// <param name="time">The gateway's clock.</param>
    public GatewayMetrics(IMeterFactory meters, IServiceProvider services, PhoneIndex index, TimeProvider time)
    {
        _time = time;
        var ari = new Lazy<AriCallSource>(services.GetRequiredService<AriCallSource>);
        var ami = new Lazy<AmiCallSource>(services.GetRequiredService<AmiCallSource>);
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("callerid.calls", "{call}", "Calls that reached a state (ringing, answered, ended, missed, answeredElsewhere), per extension's call.");
        _pushes = meter.CreateCounter<long>("callerid.pushes", "{push}", "Call changes pushed to the dashboards and hub clients.");
        _lookups = meter.CreateCounter<long>("callerid.lookups", "{lookup}", "Caller lookups of ringing calls by result (found, notFound, noNumber, unavailable).");
        _ringToScreen = meter.CreateHistogram<double>("callerid.ring_to_screen", "s", "From the ring event's arrival to the card's push.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        meter.CreateObservableGauge("callerid.source.connected", () => new[]
        {
            Connected("ari", ari.Value.Enabled, ari.Value.Connection?.State == Asterisk.ConnectionState.Connected),
            Connected("ami", ami.Value.Enabled, ami.Value.Connection?.State == Asterisk.ConnectionState.Connected),
        }.OfType<Measurement<int>>(), "1", "1 while the Asterisk source is connected, 0 while not (enabled sources only).");
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

    internal void Pushed(CallInfo call, CustomerCallData data, bool stateChanged, bool firstRing)
    {
        _pushes.Add(1);
        if (stateChanged)
        {
            _calls.Add(1, new KeyValuePair<string, object?>("state", ContractJson.Name(call.State)));
        }
        if (firstRing)
        {
            _lookups.Add(1, new KeyValuePair<string, object?>("result", ContractJson.Name(data.Lookup)));
            _ringToScreen.Record(Math.Max(0, (_time.GetUtcNow() - call.StartedAt).TotalSeconds));
        }
    }
}
