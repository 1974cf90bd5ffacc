using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// The few ARI REST calls the gateway makes: resync after a reconnect (the channels and their
/// linkedid), look-ups, hang-up and click-to-call. URLs and credentials come from
/// <see cref="AriClientOptions"/> (the HttpClient's own BaseAddress is not used), and the
/// credentials go in a basic-auth header on every request.
/// </summary>
/// <remarks>
/// A 401 throws <see cref="AsteriskAuthenticationException"/>; any other failure status throws an
/// <see cref="HttpRequestException"/> whose <see cref="HttpRequestException.StatusCode"/> is set and
/// whose message carries ARI's own error text.
/// </remarks>
public sealed class AriRestClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;
    private readonly string _username;
    private readonly AuthenticationHeaderValue _authorization;

    public AriRestClient(HttpClient httpClient, AriClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _root = AriEndpoints.Root(options);
        _username = options.Username;
        _authorization = AriEndpoints.BasicAuthorization(options);
    }

    /// <summary><c>GET /channels</c>: every channel Asterisk has now, for a resync.</summary>
    public async Task<IReadOnlyList<AriChannel>> GetChannelsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "channels", content: null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, AriJsonContext.Default.AriChannelArray, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /channels/{id}</c>; null when the channel is gone (404).</summary>
    public async Task<AriChannel?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        using var response = await SendAsync(HttpMethod.Get, ChannelPath(channelId), content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, AriJsonContext.Default.AriChannel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /channels/{id}/variable?variable=…</c>: a channel variable or function, e.g. <c>CHANNEL(linkedid)</c>;
    /// null when the channel is gone or the variable is not set (404).
    /// </summary>
    public async Task<string?> GetChannelVariableAsync(string channelId, string variable, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(variable);
        var path = ChannelPath(channelId) + "/variable?variable=" + Uri.EscapeDataString(variable);
        using var response = await SendAsync(HttpMethod.Get, path, content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(response, AriJsonContext.Default.AriVariable, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary><c>DELETE /channels/{id}?reason=…</c>; false when the channel was already gone (404).</summary>
    /// <param name="channelId">The channel's id.</param>
    /// <param name="reason">ARI's reason name: normal, busy, congestion, no_answer, rejected, answered_elsewhere, …;
    /// null sends none (Asterisk then uses normal clearing, cause 16).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<bool> HangupChannelAsync(string channelId, string? reason = "normal", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        if (reason is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(reason);
        }
        var path = reason is null ? ChannelPath(channelId) : $"{ChannelPath(channelId)}?reason={Uri.EscapeDataString(reason)}";
        using var response = await SendAsync(HttpMethod.Delete, path, content: null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// <c>POST /channels</c>: calls <paramref name="endpoint"/> and, when it answers, sends it to
    /// <paramref name="extension"/>@<paramref name="context"/> (click-to-call).
    /// </summary>
    /// <param name="endpoint">What to dial first, e.g. <c>PJSIP/1008</c>.</param>
    /// <param name="extension">Where the answered channel continues in the dialplan.</param>
    /// <param name="context">Dialplan context of <paramref name="extension"/>.</param>
    /// <param name="priority">Dialplan priority, usually 1.</param>
    /// <param name="callerId">Caller ID shown on <paramref name="endpoint"/>, e.g. <c>"Shop" &lt;12345678&gt;</c>.</param>
    /// <param name="timeout">How long <paramref name="endpoint"/> may ring; ARI's default (30 s) when null.</param>
    /// <param name="variables">Channel variables to set on the new channel (sent as the JSON body; no body without them).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new channel.</returns>
    public async Task<AriChannel> OriginateAsync(
        string endpoint,
        string extension,
        string context,
        long priority = 1,
        string? callerId = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? variables = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(extension);
        ArgumentException.ThrowIfNullOrEmpty(context);
        var query = new StringBuilder("channels?endpoint=").Append(Uri.EscapeDataString(endpoint))
            .Append("&extension=").Append(Uri.EscapeDataString(extension))
            .Append("&context=").Append(Uri.EscapeDataString(context))
            .Append("&priority=").Append(priority.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(callerId))
        {
            query.Append("&callerId=").Append(Uri.EscapeDataString(callerId));
        }
        if (timeout is { } t)
        {
            query.Append("&timeout=").Append(((int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }
        // Without variables no body at all, as curl sends it (the captures' click-to-call-ari).
        var body = variables is { Count: > 0 } ? JsonContent.Create(new AriOriginateBody(variables), AriJsonContext.Default.AriOriginateBody) : null;
        using var response = await SendAsync(HttpMethod.Post, query.ToString(), body, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, AriJsonContext.Default.AriChannel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /asterisk/info</c>: version, entity id and start-up time (which tells a restart apart from a network blip).</summary>
    public async Task<AriAsteriskInfo> GetAsteriskInfoAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "asterisk/info", content: null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, AriJsonContext.Default.AriAsteriskInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /endpoints</c>: every endpoint Asterisk knows (PJSIP, SIP, IAX2…) and whether it is reachable now.</summary>
    public async Task<IReadOnlyList<AriEndpoint>> GetEndpointsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "endpoints", content: null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, AriJsonContext.Default.AriEndpointArray, cancellationToken).ConfigureAwait(false);
    }

    private static string ChannelPath(string channelId) => "channels/" + Uri.EscapeDataString(channelId);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativeUri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_root, relativeUri)) { Content = content };
        request.Headers.Authorization = _authorization;
        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var request = response.RequestMessage;
        var what = $"ARI {request?.Method} {request?.RequestUri?.AbsolutePath}";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new AsteriskAuthenticationException($"{what}: Asterisk refused the credentials of ARI user '{_username}' (HTTP 401).");
        }
        var detail = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        throw new HttpRequestException(
            $"{what} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}",
            inner: null,
            response.StatusCode);
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // ARI answers errors as {"message":"…"}; a proxy in between may answer HTML. Either way the status code is the news.
        try
        {
            var body = await response.Content.ReadFromJsonAsync(AriJsonContext.Default.AriErrorBody, cancellationToken).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(body?.Message) ? null : body.Message;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var value = await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false);
        return value ?? throw new JsonException($"ARI {response.RequestMessage?.RequestUri?.AbsolutePath} answered null.");
    }
}
