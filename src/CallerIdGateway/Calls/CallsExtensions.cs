using CallerIdGateway.Sources;

namespace CallerIdGateway.Calls;

public static class CallsExtensions
{
    /// <summary>The call tracker and what follows it (resolution, notifications). Sources post facts to <see cref="CallTrackerService"/>.</summary>
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            // A bound array replaces nothing it starts with, so the default is applied after binding.
            .PostConfigure(o => o.MonitoredExtensions = o.MonitoredExtensions is { Length: > 0 } ? o.MonitoredExtensions : ["1008"])
            .ValidateDataAnnotations()
            .Validate(o => o.MonitoredExtensions.All(e => !string.IsNullOrWhiteSpace(e) && e.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')),
                "Gateway:MonitoredExtensions must hold extension names such as 1008 (letters, digits, - _ .).")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new MonitoredExtensions(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.MonitoredExtensions));

        builder.Services.AddOptions<CallLogOptions>()
            .BindConfiguration(CallLogOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The call log's service comes first: it starts (replaying its journal) before anything produces
        // calls and, since hosts stop in reverse order, stops after the tracker, storing what it made.
        builder.Services.AddSingleton<CallLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallLog>());
        builder.Services.AddSingleton<CallTrackerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallTrackerService>());
        builder.Services.AddSingleton<CallPublisher>();
        builder.Services.AddSingleton<ICallChangeHandler>(sp => sp.GetRequiredService<CallPublisher>());
        // The live calls before the hub: a client that got a change and asks for the active calls sees that change.
        builder.Services.AddSingleton<LiveCalls>();
        builder.Services.AddSingleton<ICallNotifier>(sp => sp.GetRequiredService<LiveCalls>());
        builder.Services.AddSingleton<ICallNotifier, CallConsoleLog>();
        builder.Services.AddSingleton<ICallNotifier>(sp => sp.GetRequiredService<CallLog>());
        builder.Services.AddHostedService<CallLogReconciler>();
        builder.Services.AddSingleton<ICallNotifier, HubCallNotifier>();
        builder.Services.AddHostedService<CallPathWarmUp>();
        builder.Services.AddSignalR().AddJsonProtocol(o => Contracts.ContractJson.Configure(o.PayloadSerializerOptions));
        return builder;
    }
}
