using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway Redis of one test: Debian's <c>redis-server</c> on a free 127.0.0.1 port, in a temp
/// folder, without persistence. Dispose kills it and deletes the folder, also when the test failed;
/// if the test process dies any other way, <see cref="MySqlServer"/>'s watchdog does it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _watchdog;
    private Process? _process;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
        File.WriteAllText(Path.Combine(directory, MySqlServer.OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        _watchdog = MySqlServer.StartWatchdog(directory);
    }

    public int Port { get; }

    /// <summary>For <c>Scaling:Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory(MySqlServer.FolderPrefix + "redis-").FullName;
        var server = new RedisServer(directory, MySqlServer.FreePort());
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts redis-server (again, empty, on the same port) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        var binary = MySqlServer.FindExecutable("redis-server", "/usr/bin/redis-server")
            ?? throw new InvalidOperationException("Redis is not installed: apt-get install redis-server.");
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }
        _process?.Dispose(); // a server killed before
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await File.WriteAllTextAsync(Path.Combine(_directory, MySqlServer.ServerFile), _process.Id.ToString(CultureInfo.InvariantCulture));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var reply = new byte[7];
                if (await stream.ReadAsync(reply) > 0 && reply[0] == '+')
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: Redis is simply gone, as when its host dies.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        if (!_watchdog.HasExited)
        {
            _watchdog.Kill(entireProcessTree: true);
            await _watchdog.WaitForExitAsync();
        }
        _watchdog.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
