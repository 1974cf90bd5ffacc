using System.Net;
using System.Net.Sockets;

namespace CallerIdGateway.IntegrationTests.Scaling;

/// <summary>
/// The load balancer of a test, on 127.0.0.1: each new connection goes to the first instance that
/// accepts it, so once the first one dies its clients reconnect to the next. When either side of a
/// connection closes or breaks, so does the other (a dead instance's WebSockets break at its clients).
/// </summary>
public sealed class FailoverProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<Uri> _instances;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;

    public FailoverProxy(params Uri[] instances)
    {
        _instances = instances;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

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
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        Track(client);
        foreach (var instance in _instances)
        {
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(instance.Host, instance.Port, _stop.Token);
            }
            catch (SocketException)
            {
                upstream.Dispose();
                continue; // that instance is gone: the next one
            }
            catch (OperationCanceledException)
            {
                upstream.Dispose();
                break;
            }
            Track(upstream);
            var down = client.GetStream();
            var up = upstream.GetStream();
            await Task.WhenAny(PumpAsync(down, up), PumpAsync(up, down));
            upstream.Dispose();
            break;
        }
        client.Dispose();
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
    }

    private void Track(TcpClient connection)
    {
        lock (_connections)
        {
            _connections.Add(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        _stop.Dispose();
    }
}
