using CallerIdGateway.Auth;
using CallerIdGateway.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CallerIdGateway.Calls;

/// <summary>
/// <c>/hubs/calls</c>: clients subscribe to extensions (only those they may see) and get every
/// change of their calls. Group membership does not survive a reconnect, so clients subscribe
/// again and ask for the active calls each time they connect.
/// </summary>
[Authorize]
public sealed class CallsHub(LiveCalls live) : Hub<ICallsClient>
{
    public const string Path = "/hubs/calls";

    /// <summary>The group of one extension's calls; supervisors join <see cref="AllGroup"/>.</summary>
    public static string Group(string extension) => "ext:" + extension;

    public const string AllGroup = "ext:*";

    /// <summary>Joins the groups of the requested extensions the caller may see (<c>["*"]</c> = all it may see); returns them.</summary>
    public async Task<string[]> Subscribe(string[] extensions)
    {
        var user = Context.User!;
        var wanted = extensions is null or [] || extensions.Contains(GatewayClaims.AllExtensions)
            ? (user.SeesAll() ? [GatewayClaims.AllExtensions] : user.Extensions().ToArray())
            : extensions.Where(user.MaySee).Distinct().ToArray();
        foreach (var extension in wanted)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, extension == GatewayClaims.AllExtensions ? AllGroup : Group(extension));
        }
        return wanted;
    }

    /// <summary>The calls ringing or answered now on the extensions the caller may see.</summary>
    public CustomerCallData[] GetActiveCalls() =>
        live.Active.Where(d => Context.User!.MaySee(d.Call!.Extension)).ToArray();
}
