using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using MySqlConnector;
using Testcontainers.MySql;

namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// One real MySQL-family server for the whole test run: a MySQL 8.4 container where a Docker engine
/// answers, otherwise a throwaway MariaDB started from Debian's mariadb-server binaries in a temp
/// directory on a free 127.0.0.1 port. Each test class takes a database of its own from it.
/// Never skipped: without either, the tests fail and say what to install. Fault tests that freeze,
/// kill or restart the server take a <see cref="DedicatedMariaDb"/>, never the shared one.
/// </summary>
public sealed class MySqlServer : IAsyncDisposable
{
    private static readonly Lazy<Task<MySqlServer>> Shared = new(StartAsync);

    private readonly string _rootConnectionString;
    private readonly Func<ValueTask> _stop;
    private int _databases;
    private int _stopped;

    private MySqlServer(string rootConnectionString, string description, Func<ValueTask> stop)
    {
        _rootConnectionString = rootConnectionString;
        Description = description;
        _stop = stop;
    }

    /// <summary>What kind of server this is, for test output.</summary>
    public string Description { get; }

    public static Task<MySqlServer> GetAsync() => Shared.Value;

    /// <summary>Stops the shared server, if one was started (at the end of the run, see <see cref="TestRunCleanup"/>).</summary>
    internal static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync();
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new MySqlConnection(_rootConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
        await command.ExecuteNonQueryAsync();
        return new MySqlConnectionStringBuilder(_rootConnectionString) { Database = name }.ConnectionString;
    }

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _stopped, 1) == 0 ? _stop() : ValueTask.CompletedTask;

    private static async Task<MySqlServer> StartAsync()
    {
        var server = await TryStartContainerAsync() ?? await StartLocalMariaDbAsync();
        // Only a last resort: the test host is terminated soon after the run ends, usually in the
        // middle of this handler. TestRunCleanup stops the server before that, and the watchdog of a
        // local MariaDB covers a test host that dies any other way.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static async Task<MySqlServer?> TryStartContainerAsync()
    {
        if (Environment.GetEnvironmentVariable("CALLERID_TESTS_NO_DOCKER") == "1")
        {
            return null;
        }
        try
        {
            var container = new MySqlBuilder("mysql:8.4").WithUsername("root").WithPassword("test").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await container.StartAsync(timeout.Token);
            return new MySqlServer(container.GetConnectionString(), "MySQL 8.4 (Testcontainers)", container.DisposeAsync);
        }
        catch (DockerUnavailableException)
        {
            return null; // no Docker engine here: fall back to a local MariaDB
        }
    }

    internal const string FolderPrefix = "callerid-mariadb-";

    private static async Task<MySqlServer> StartLocalMariaDbAsync()
    {
        var serverBinary = FindExecutable("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld")
            ?? throw new InvalidOperationException("Neither a Docker engine nor MariaDB is available. Install Debian's mariadb-server (apt-get install mariadb-server) or start Docker.");
        var installBinary = FindExecutable("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db")
            ?? throw new InvalidOperationException("mariadb-install-db not found; install Debian's mariadb-server.");

        DeleteFoldersOfDeadRuns();
        var directory = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        File.WriteAllText(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var data = Path.Combine(directory, "data");
        var asRoot = Environment.UserName == "root" ? "--user=root" : "";
        Process? process = null;
        var watchdog = StartWatchdog(directory);

        async ValueTask StopAsync()
        {
            try
            {
                if (process is { HasExited: false })
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            finally
            {
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                if (!watchdog.HasExited)
                {
                    watchdog.Kill(entireProcessTree: true);
                }
                process?.Dispose();
                watchdog.Dispose();
            }
        }

        try
        {
            await RunAsync(installBinary, $"--no-defaults --datadir={data} --auth-root-authentication-method=normal --skip-test-db {asRoot}", directory);

            var port = FreePort();
            process = Process.Start(new ProcessStartInfo(serverBinary,
                $"--no-defaults --datadir={data} --socket={directory}/mariadb.sock --pid-file={directory}/mariadb.pid " +
                $"--port={port} --bind-address=127.0.0.1 {asRoot} --skip-log-bin --innodb-buffer-pool-size=256M " +
                "--innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            File.WriteAllText(Path.Combine(directory, ServerFile), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var log = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            var connectionString = new MySqlConnectionStringBuilder
            {
                Server = "127.0.0.1",
                Port = (uint)port,
                UserID = "root",
                Password = "",
                AllowUserVariables = true,
            }.ConnectionString;

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    await using var connection = new MySqlConnection(connectionString);
                    await connection.OpenAsync();
                    break;
                }
                catch (MySqlException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(100);
                }
                catch (MySqlException e)
                {
                    string text;
                    lock (log) { text = log.ToString(); }
                    throw new InvalidOperationException($"MariaDB did not start on 127.0.0.1:{port}: {e.Message}\n{text}", e);
                }
            }

            return new MySqlServer(connectionString, $"local MariaDB on 127.0.0.1:{port}", StopAsync);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    internal const string OwnerFile = "owner.pid";
    internal const string ServerFile = "server.pid";

    /// <summary>
    /// Kills the server and deletes its folder as soon as this test process is gone, however it
    /// went (a crash, the test host killed by the runner, Ctrl+C): a small shell that waits on our
    /// process id, started before anything else runs in the folder. Its own output goes nowhere,
    /// so it never holds the runner's pipes open.
    /// </summary>
    internal static Process StartWatchdog(string directory)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            tail --pid="$1" -f /dev/null
            server=$(cat "$2/server.pid")
            if [ -n "$server" ]; then kill -CONT "$server"; kill -KILL "$server"; sleep 1; fi
            rm -rf -- "$2"
            """;
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", script, "callerid-mariadb-watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), directory })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    /// <summary>
    /// Folders left by test runs whose process is gone and whose server no longer runs (older
    /// fixtures had no watchdog). Folders of live runs, and of servers still running, are left alone.
    /// </summary>
    private static void DeleteFoldersOfDeadRuns()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                var owner = Path.Combine(folder, OwnerFile);
                var serverPid = Path.Combine(folder, File.Exists(owner) ? ServerFile : "mariadb.pid");
                var ownerGone = File.Exists(owner)
                    ? !IsRunning(File.ReadAllText(owner))
                    : Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1);
                var serverGone = !File.Exists(serverPid) || !IsRunning(File.ReadAllText(serverPid));
                if (ownerGone && serverGone)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(string processId) =>
        int.TryParse(processId.Trim(), out var pid) && Directory.Exists($"/proc/{pid}");

    internal static async Task RunAsync(string file, string arguments, string workingDirectory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    internal static string? FindExecutable(string name, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
