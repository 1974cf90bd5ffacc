namespace CallerIdGateway.Diagnostics;

/// <summary>An endpoint as the PBX lists it (ARI <c>GET /endpoints</c>, AMI <c>PJSIPShowEndpoints</c> or <c>SIPpeers</c>).</summary>
/// <param name="Name">Technology and resource, e.g. <c>PJSIP/1008</c>.</param>
/// <param name="Resource">The extension part, e.g. <c>1008</c>.</param>
/// <param name="Reachable">A phone is registered or answers qualify now; null when the PBX cannot tell.</param>
/// <param name="State">The PBX's own word for it (<c>online</c>, <c>Unavailable</c>, <c>UNREACHABLE</c>, <c>OK (5 ms)</c>…).</param>
public sealed record PbxEndpoint(string Name, string Resource, bool? Reachable, string State)
{
    /// <summary>
    /// Whether every monitored extension exists on the PBX and is reachable now, one line each. An
    /// endpoint named <c>1008-web</c> (a browser phone beside the desk phone) counts for 1008, as it does for the call tracker.
    /// </summary>
    public static void CheckExtensions(DoctorReport report, IEnumerable<string> extensions, IReadOnlyList<PbxEndpoint> endpoints, string source)
    {
        foreach (var extension in extensions.Order(StringComparer.Ordinal))
        {
            var subject = $"extension {extension}";
            var own = endpoints.Where(e => e.Resource.Equals(extension, StringComparison.OrdinalIgnoreCase)
                || e.Resource.StartsWith(extension + "-", StringComparison.OrdinalIgnoreCase)).ToList();
            if (own.Count == 0)
            {
                var known = string.Join(", ", endpoints.Select(e => e.Resource).Distinct().Order(StringComparer.Ordinal).Take(20));
                report.Fail(subject, $"does not exist on the PBX ({source} lists {(known.Length == 0 ? "no endpoints" : known)}).",
                    "Correct Gateway:MonitoredExtensions, or create the extension on the PBX.");
                continue;
            }
            var states = string.Join(", ", own.Select(e => $"{e.Name} {e.State}"));
            if (own.Any(e => e.Reachable == true))
            {
                report.Pass(subject, $"{states}.");
            }
            else if (own.All(e => e.Reachable == false))
            {
                report.Fail(subject, $"no phone is registered or reachable now ({states}).",
                    $"Register a phone on {extension} (its SIP user and password, and a network path to the PBX); calls to it ring nowhere.");
            }
            else
            {
                report.Warn(subject, $"the PBX cannot tell whether a phone is reachable ({states}).", "Turn on qualify (PJSIP: qualify_frequency on the AOR).");
            }
        }
    }
}
