using System.Net;
using System.Net.Sockets;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real server. <see cref="Silence"/> turns it into a server
/// that accepts and never answers: bytes sent after that are swallowed on open connections, and new
/// connections are accepted and left hanging. That is a database that hangs, without stopping the
/// shared test database or waiting for real timeouts.
/// </summary>
public sealed class SilenceableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private volatile bool _silent;
    private long _swallowed;

    public SilenceableTcpProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests that reached the proxy after <see cref="Silence"/> and were never answered.</summary>
    public long SwallowedRequests => Interlocked.Read(ref _swallowed);

    public void Silence() => _silent = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(client);
            }
            if (_silent)
            {
                Interlocked.Increment(ref _swallowed); // accepted, and never a byte back
                continue;
            }
            var upstream = new TcpClient();
            lock (_connections)
            {
                _connections.Add(upstream);
            }
            try
            {
                await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = PumpAsync(client.GetStream(), upstream.GetStream());
            _ = PumpAsync(upstream.GetStream(), client.GetStream());
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                if (_silent)
                {
                    Interlocked.Increment(ref _swallowed);
                    continue; // heard, never passed on
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side went away or the proxy stops: the other side sees the close when the proxy is disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        await _accepting;
        _stop.Dispose();
    }
}
