using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// The Data Protection key ring in Redis (the package's <c>RedisXmlRepository</c>), so that a cookie
/// issued by one instance is read by the others. While Redis is away the instance goes on with the
/// keys it last read, and a key it has to make meanwhile is kept here and stored once Redis answers.
/// </summary>
internal sealed partial class SharedKeyRepository : IXmlRepository
{
    private readonly IXmlRepository _shared;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<(XElement Element, string Name)> _unsaved = [];
    private IReadOnlyCollection<XElement> _lastRead = [];

    public SharedKeyRepository(IXmlRepository shared, RedisConnection redis, ILogger<SharedKeyRepository> logger)
    {
        _shared = shared;
        _logger = logger;
        redis.Restored += () => _ = Task.Run(TryStoreUnsaved);
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        try
        {
            TryStoreUnsaved();
            var all = _shared.GetAllElements();
            lock (_lock)
            {
                _lastRead = all;
                return [.. all, .. _unsaved.Select(u => u.Element)];
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogReadFailed(_logger, e.Message);
            lock (_lock)
            {
                return [.. _lastRead, .. _unsaved.Select(u => u.Element)];
            }
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        try
        {
            _shared.StoreElement(element, friendlyName);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStoreFailed(_logger, friendlyName, e.Message);
            lock (_lock)
            {
                _unsaved.Add((element, friendlyName));
            }
        }
    }

    private void TryStoreUnsaved()
    {
        (XElement Element, string Name)[] unsaved;
        lock (_lock)
        {
            unsaved = [.. _unsaved];
        }
        foreach (var key in unsaved)
        {
            try
            {
                _shared.StoreElement(key.Element, key.Name);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                return; // still away; the next read or reconnect tries again
            }
            lock (_lock)
            {
                _unsaved.Remove(key);
            }
            LogStoredLater(_logger, key.Name);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Scaling: cannot read the cookie keys from Redis ({Reason}); using the ones read last")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Scaling: cannot store the new cookie key {Key} in Redis ({Reason}); its cookies work on this instance only until Redis answers")]
    private static partial void LogStoreFailed(ILogger logger, string key, string reason);

    [LoggerMessage(LogLevel.Information, "Scaling: the cookie key {Key} made while Redis was away is stored now")]
    private static partial void LogStoredLater(ILogger logger, string key);
}
