using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Sources;

/// <summary>
/// Section <c>Asterisk:Ari</c>, bound straight onto the ARI client's options (BaseUrl, Username,
/// Password, Application, Reconnect, and the client's other settings) plus the gateway's own
/// <see cref="Enabled"/>. The events the source asks for are the facts' table, not a setting.
/// </summary>
public sealed class AriSourceOptions : AriClientOptions
{
    public const string Section = "Asterisk:Ari";

    public AriSourceOptions()
    {
        Username = "gateway";
        EventTypes = AriCallFacts.WantedEvents;
    }

    public bool Enabled { get; set; }
}
