using System.Net.Http.Headers;
using System.Text;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>ARI's URLs and credentials, built from <see cref="AriClientOptions"/> in one place.</summary>
internal static class AriEndpoints
{
    /// <summary><c>BaseUrl</c> with a trailing slash, so relative paths append instead of replacing <c>ari</c>.</summary>
    public static Uri Root(AriClientOptions options)
    {
        var baseUrl = options.BaseUrl ?? throw new ArgumentException("Asterisk:Ari:BaseUrl is required.", nameof(options));
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException($"Asterisk:Ari:BaseUrl must be an absolute http(s) URL such as http://127.0.0.1:8088/ari, not '{baseUrl}'.", nameof(options));
        }
        var builder = new UriBuilder(baseUrl) { Query = "", Fragment = "" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }
        return builder.Uri;
    }

    public static Uri Rest(AriClientOptions options, string relativePath) => new(Root(options), relativePath);

    /// <summary>The events socket: <c>ws(s)://…/ari/events?app=…&amp;subscribeAll=true</c>.</summary>
    /// <param name="options">Where and as whom.</param>
    /// <param name="withApiKey">False for the form that may be logged: never put the password in a log.</param>
    public static Uri Events(AriClientOptions options, bool withApiKey)
    {
        var builder = new UriBuilder(new Uri(Root(options), "events"));
        builder.Scheme = builder.Scheme is "https" or "wss" ? "wss" : "ws";
        var query = $"app={Uri.EscapeDataString(options.Application)}&subscribeAll=true";
        if (withApiKey && options.UseApiKeyQuery)
        {
            query += $"&api_key={Uri.EscapeDataString(options.Username + ":" + options.Password)}";
        }
        builder.Query = query;
        return builder.Uri;
    }

    public static AuthenticationHeaderValue BasicAuthorization(AriClientOptions options) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password)));
}
