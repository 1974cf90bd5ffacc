namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>An endpoint the test ARI and AMI servers list, and whether a phone is registered on it now.</summary>
public sealed record TestPbxEndpoint(string Name, bool Registered = true)
{
    /// <summary>The endpoints of the captures' configuration (pjsip.conf / sip.conf): the two phones and the trunk.</summary>
    public static readonly IReadOnlyList<TestPbxEndpoint> CaptureDefaults = [new("1008"), new("1009"), new("provider")];
}
