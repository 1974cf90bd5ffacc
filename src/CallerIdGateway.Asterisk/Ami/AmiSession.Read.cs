namespace CallerIdGateway.Asterisk.Ami;

/// <summary>Packets in: the one read loop, and where each packet goes.</summary>
internal sealed partial class AmiSession
{
    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        Exception reason;
        try
        {
            while (true)
            {
                var message = await _reader.ReadMessageAsync(_lifetime.Token).ConfigureAwait(false);
                if (message is null)
                {
                    reason = new AmiConnectionException($"AMI at {_options.Host}:{_options.Port} closed the connection.");
                    break;
                }
                await DispatchAsync(message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return; // closed on purpose; Close() already recorded why
        }
        catch (Exception e)
        {
            reason = e as AmiConnectionException
                ?? new AmiConnectionException($"Reading from AMI at {_options.Host}:{_options.Port} failed: {e.Message}", e);
        }
        finally
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
        Close(reason);
    }

    private async ValueTask DispatchAsync(AmiMessage message)
    {
        var actionId = message.ActionId;
        if (actionId is not null && _pending.TryGetValue(actionId, out var pending))
        {
            if (pending.Accept(message))
            {
                _pending.TryRemove(actionId, out _);
            }
            return;
        }
        if (message.IsResponse)
        {
            AmiLog.UnmatchedResponse(_logger, actionId);
            return;
        }
        var eventName = message.EventName;
        if (eventName is null)
        {
            AmiLog.PacketIgnored(_logger);
            return;
        }
        // The parser keeps every event with an ActionID for the pending actions; one that no
        // action waits for (any more) reaches the handler only if it was wanted anyway.
        if (actionId is not null && !_filter.Wants(eventName))
        {
            return;
        }
        _onEvent();
        if (eventName.Equals("Shutdown", StringComparison.OrdinalIgnoreCase))
        {
            AmiLog.ShutdownAnnounced(_logger, _options.Host, _options.Port, message["Shutdown"], message["Restart"]);
        }
        await _events.Writer.WriteAsync(message, _lifetime.Token).ConfigureAwait(false);
    }
}
