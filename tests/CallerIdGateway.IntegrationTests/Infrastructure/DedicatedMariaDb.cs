using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A MariaDB of one test's own (the shared <see cref="MySqlServer"/> must never be broken), from
/// Debian's mariadb-server binaries in a temp folder on a free 127.0.0.1 port, that the test may
/// freeze and thaw (SIGSTOP/SIGCONT), or kill and start again on the same port and data. Dispose
/// kills it and deletes the folder, also when the test failed; if the test process dies any other
/// way, <see cref="MySqlServer"/>'s watchdog does it.
/// </summary>
public sealed class DedicatedMariaDb : IAsyncDisposable
{
    private readonly string _serverBinary;
    private readonly string _directory;
    private readonly string _asRoot;
    private readonly System.Text.StringBuilder _log = new();
    private readonly Process _watchdog;
    private Process? _process;
    private int _databases;

    private DedicatedMariaDb(string serverBinary, string directory, string asRoot, int port)
    {
        _serverBinary = serverBinary;
        _directory = directory;
        _asRoot = asRoot;
        Port = port;
        File.WriteAllText(Path.Combine(directory, MySqlServer.OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        _watchdog = MySqlServer.StartWatchdog(directory);
    }

    public int Port { get; }

    public string RootConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1", Port = (uint)Port, UserID = "root", Password = "", AllowUserVariables = true,
    }.ConnectionString;

    /// <summary>Whether mariadbd is running now.</summary>
    public bool Running => _process is { HasExited: false };

    public static async Task<DedicatedMariaDb> StartAsync()
    {
        var serverBinary = MySqlServer.FindExecutable("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld")
            ?? throw new InvalidOperationException("MariaDB is not installed: apt-get install mariadb-server.");
        var installBinary = MySqlServer.FindExecutable("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db")
            ?? throw new InvalidOperationException("mariadb-install-db not found; install Debian's mariadb-server.");
        var directory = Directory.CreateTempSubdirectory(MySqlServer.FolderPrefix + "dedicated-").FullName;
        var asRoot = Environment.UserName == "root" ? "--user=root" : "";
        var server = new DedicatedMariaDb(serverBinary, directory, asRoot, MySqlServer.FreePort());
        try
        {
            await MySqlServer.RunAsync(installBinary, $"--no-defaults --datadir={directory}/data --auth-root-authentication-method=normal --skip-test-db {asRoot}", directory);
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts mariadbd (again) on the same port and data, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (Running)
        {
            throw new InvalidOperationException("MariaDB is already running.");
        }
        _process?.Dispose();
        _process = Process.Start(new ProcessStartInfo(_serverBinary,
            $"--no-defaults --datadir={_directory}/data --socket={_directory}/mariadb.sock --pid-file={_directory}/mariadb.pid " +
            $"--port={Port} --bind-address=127.0.0.1 {_asRoot} --skip-log-bin --innodb-buffer-pool-size=32M " +
            "--innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        File.WriteAllText(Path.Combine(_directory, MySqlServer.ServerFile), _process.Id.ToString(CultureInfo.InvariantCulture));
        _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(RootConnectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (MySqlException e)
            {
                lock (_log)
                {
                    throw new InvalidOperationException($"MariaDB did not start on 127.0.0.1:{Port}: {e.Message}\n{_log}", e);
                }
            }
        }
    }

    /// <summary>Freezes mariadbd (SIGSTOP): it keeps its sockets open and answers nothing, like a stalled host.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>Lets a frozen mariadbd run again (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>Kills mariadbd (SIGKILL: the server is simply gone, as when it crashes; a frozen one too) and waits for it to exit.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
        await command.ExecuteNonQueryAsync();
        return new MySqlConnectionStringBuilder(RootConnectionString) { Database = name }.ConnectionString;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            _process?.Dispose();
            _process = null;
        }
        finally
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (!_watchdog.HasExited)
            {
                _watchdog.Kill(entireProcessTree: true);
            }
            _watchdog.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _process is { HasExited: false } process ? process.Id : throw new InvalidOperationException("MariaDB is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed ({kill.ExitCode})");
        }
    }
}
