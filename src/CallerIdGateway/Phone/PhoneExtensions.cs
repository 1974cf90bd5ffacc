namespace CallerIdGateway.Phone;

public static class PhoneExtensions
{
    public static IHostApplicationBuilder AddPhone(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PhoneOptions>().BindConfiguration(PhoneOptions.Section)
            .Validate(o => o.WebSocketUrl.Length == 0 || IsWebSocketUrl(o.WebSocketUrl), "Phone:WebSocketUrl must be a ws:// or wss:// address.")
            .ValidateOnStart();
        return builder;
    }

    internal static bool IsWebSocketUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "ws" || uri.Scheme == "wss");
}
