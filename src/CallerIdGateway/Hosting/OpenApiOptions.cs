namespace CallerIdGateway.Hosting;

/// <summary>Settings of section <c>OpenApi</c>.</summary>
public sealed class OpenApiOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve the browsable API reference at <c>/scalar</c> outside Development too.</summary>
    public bool UiEnabled { get; set; }
}
