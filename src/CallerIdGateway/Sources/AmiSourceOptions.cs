using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Sources;

/// <summary>
/// Section <c>Asterisk:Ami</c>, bound straight onto the AMI client's options (Host, Port, Username,
/// Secret, Reconnect, and the client's other settings) plus the gateway's own <see cref="Enabled"/>.
/// The user needs <c>read=call,agent</c> (see asterisk-config/).
/// </summary>
public sealed class AmiSourceOptions : AmiClientOptions
{
    public const string Section = "Asterisk:Ami";

    public AmiSourceOptions()
    {
        Username = "gateway";
        WantedEvents = new HashSet<string>(AmiCallFacts.WantedEvents, StringComparer.OrdinalIgnoreCase);
    }

    public bool Enabled { get; set; }
}
