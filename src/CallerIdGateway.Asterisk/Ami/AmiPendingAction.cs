namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// An action sent and not yet answered, found again by its ActionID. A plain action ends with
/// its response; an event-list action (CoreShowChannels) ends with the event that says
/// <c>EventList: Complete</c> and yields the items in between; an action with a
/// <paramref name="completionEvent"/> (an async Originate and its <c>OriginateResponse</c>) ends
/// when both its response and that event have arrived and yields the two.
/// </summary>
internal sealed class AmiPendingAction(string actionName, bool isEventList, string? completionEvent = null)
{
    private readonly TaskCompletionSource<IReadOnlyList<AmiMessage>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<AmiMessage>? _items;
    private AmiMessage? _response;
    private AmiMessage? _completionEvent;

    public string ActionName { get; } = actionName;

    /// <summary>The response alone for a plain action; the list items (without the closing event) for an event list.</summary>
    public Task<IReadOnlyList<AmiMessage>> Completion => _completion.Task;

    /// <summary>Takes a packet that carries this action's ActionID; true when the action is finished.</summary>
    public bool Accept(AmiMessage message)
    {
        // Checked first: OriginateResponse carries a Response header of its own (Success / Failure).
        if (completionEvent is not null && string.Equals(message.EventName, completionEvent, StringComparison.OrdinalIgnoreCase))
        {
            // Asterisk queues the async work before it acknowledges, so the event may even come first.
            _completionEvent = message;
            return TryCompleteWithEvent();
        }
        if (message.IsResponse)
        {
            if (string.Equals(message.Response, "Error", StringComparison.OrdinalIgnoreCase))
            {
                _completion.TrySetException(new AmiActionException(ActionName, message));
                return true;
            }
            if (completionEvent is not null)
            {
                _response = message;
                return TryCompleteWithEvent();
            }
            if (!isEventList)
            {
                _completion.TrySetResult([message]);
                return true;
            }
            if (!string.Equals(message["EventList"], "start", StringComparison.OrdinalIgnoreCase))
            {
                // Success without "EventList: start": nothing to list follows.
                _completion.TrySetResult([]);
                return true;
            }
            _items ??= [];
            return false;
        }

        if (!isEventList)
        {
            return false; // not ours to interpret; the action still waits for its response
        }
        if (string.Equals(message["EventList"], "Complete", StringComparison.OrdinalIgnoreCase))
        {
            _completion.TrySetResult((IReadOnlyList<AmiMessage>?)_items ?? []);
            return true;
        }
        (_items ??= []).Add(message);
        return false;
    }

    private bool TryCompleteWithEvent()
    {
        if (_response is null || _completionEvent is null)
        {
            return false;
        }
        _completion.TrySetResult([_response, _completionEvent]);
        return true;
    }

    public void Fail(Exception reason) => _completion.TrySetException(reason);
}
