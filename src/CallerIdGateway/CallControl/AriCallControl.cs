using System.Net;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.CallControl;

/// <summary>
/// Call control over ARI REST with the control user (<c>CallControl:Ari</c>) at <c>Asterisk:Ari:BaseUrl</c>.
/// Click-to-call is <c>POST /channels</c> without <c>app</c>, so the answered channel goes on in the
/// dialplan; hang-up is <c>DELETE /channels/{id}</c>. Blind transfer is not possible: ARI's
/// <c>POST /channels/{id}/redirect</c> (and <c>continue</c>) act only on a channel inside a Stasis
/// application and answer 409 "Channel not in Stasis application" for any other (res/ari/resource_channels.c,
/// find_control), and the calls the gateway watches never enter one.
/// </summary>
public sealed class AriCallControl(IHttpClientFactory http, IOptions<CallControlOptions> control, IOptions<AriSourceOptions> ari) : ICallControl
{
    public string? TransferUnsupportedReason =>
        "ARI can move only channels inside a Stasis application, and desk-phone calls never enter one. Set CallControl:Source to Ami to transfer calls.";

    public async Task<string> OriginateAsync(string endpoint, string number, string context, string callerId, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        var channel = await CallAsync(c => c.OriginateAsync(endpoint, number, context, 1, callerId, ringTimeout, cancellationToken: cancellationToken));
        return channel.Id;
    }

    public Task<bool> HangupAsync(CallLeg leg, CancellationToken cancellationToken) =>
        // No reason, as in the capture: Asterisk clears with cause 16 and the caller's Dial ends NOANSWER.
        CallAsync(c => c.HangupChannelAsync(leg.LegId, reason: null, cancellationToken));

    public Task TransferAsync(CallLeg leg, string extension, string context, CancellationToken cancellationToken) =>
        throw new NotSupportedException(TransferUnsupportedReason);

    private async Task<T> CallAsync<T>(Func<AriRestClient, Task<T>> request)
    {
        var user = control.Value.Ari;
        var client = new AriRestClient(http.CreateClient(nameof(AriCallControl)), new AriClientOptions
        {
            BaseUrl = ari.Value.BaseUrl,
            Username = user.Username,
            Password = user.Password,
        });
        try
        {
            return await request(client);
        }
        catch (AsteriskAuthenticationException e)
        {
            throw new CallControlException(StatusCodes.Status502BadGateway, "The PBX refused the call-control user",
                $"ARI refused user '{user.Username}' (CallControl:Ari:Username / CallControl:Ari:Password).", e);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new CallControlException(StatusCodes.Status503ServiceUnavailable, "The PBX cannot be reached",
                $"ARI at {ari.Value.BaseUrl} did not answer: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new CallControlException(e.StatusCode == HttpStatusCode.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status502BadGateway,
                "The PBX refused the request", e.Message, e);
        }
        catch (TaskCanceledException e)
        {
            throw new CallControlException(StatusCodes.Status504GatewayTimeout, "The PBX did not answer in time", $"ARI at {ari.Value.BaseUrl} did not answer in time.", e);
        }
    }
}
