using Microsoft.AspNetCore.SignalR;

namespace CallerIdGateway.Auth;

/// <summary>Hub connections stand only as long as their session: tracked from connect, refused on any call once it has ended.</summary>
internal sealed class SessionHubFilter(Sessions sessions) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (!sessions.Track(context.Context))
        {
            throw new HubException("The session has ended: sign in again.");
        }
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Forget(context.Context.ConnectionId);
        await next(context, exception);
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!sessions.IsCurrent(invocationContext.Context.User))
        {
            invocationContext.Context.Abort();
            throw new HubException("The session has ended: sign in again.");
        }
        return next(invocationContext);
    }
}
