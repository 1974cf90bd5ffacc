namespace CallerIdGateway.CallControl;

public static class CallControlExtensions
{
    /// <summary>Call control through the PBX (section <c>CallControl</c>); off unless <c>CallControl:Enabled</c>.</summary>
    public static IHostApplicationBuilder AddCallControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallControlOptions>()
            .BindConfiguration(CallControlOptions.Section)
            .Validate(o => !o.Enabled || o.Source != CallControlSource.Ari || (o.Ari.Username.Length > 0 && o.Ari.Password.Length > 0),
                "CallControl:Ari:Username and CallControl:Ari:Password are required when CallControl:Enabled is true with CallControl:Source Ari.")
            .Validate(o => !o.Enabled || o.Source != CallControlSource.Ami || (o.Ami.Username.Length > 0 && o.Ami.Secret.Length > 0),
                "CallControl:Ami:Username and CallControl:Ami:Secret are required when CallControl:Enabled is true with CallControl:Source Ami.")
            .Validate(o => IsDialplanName(o.Context), "CallControl:Context must be a dialplan context name such as internal or from-internal.")
            .Validate(o => o.EndpointTemplate.Contains("{extension}", StringComparison.Ordinal) && o.EndpointTemplate.Contains('/')
                    && !o.EndpointTemplate.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)),
                "CallControl:EndpointTemplate must be a dial string with {extension}, such as PJSIP/{extension} or SIP/{extension}.")
            .Validate(o => o.RingTimeout >= TimeSpan.FromSeconds(1) && o.RingTimeout <= TimeSpan.FromMinutes(5),
                "CallControl:RingTimeout must be between 00:00:01 and 00:05:00.")
            .ValidateOnStart();

        builder.Services.AddHttpClient(nameof(AriCallControl), c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<AriCallControl>();
        builder.Services.AddSingleton<AmiCallControl>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AmiCallControl>());
        return builder;
    }

    private static bool IsDialplanName(string name) =>
        name.Length is > 0 and <= 79 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
