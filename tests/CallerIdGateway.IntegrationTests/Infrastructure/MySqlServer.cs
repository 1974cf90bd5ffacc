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
/// Never skipped: without either, the tests fail and say what to install.
/// </summary>
public sealed class MySqlServer : IAsyncDisposable
{
    private static readonly Lazy<Task<MySqlServer>> Shared = new(StartAsync);

    private readonly string _rootConnectionString;
    private readonly Func<ValueTask> _stop;
    private int _databases;

    private MySqlServer(string rootConnectionString, string description, Func<ValueTask> stop)
    {
        _rootConnectionString = rootConnectionString;
        Description = description;
        _stop = stop;
    }

    /// <summary>What kind of server this is, for test output.</summary>
    public string Description { get; }

    public static Task<MySqlServer> GetAsync() => Shared.Value;

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

    public ValueTask DisposeAsync() => _stop();

    private static async Task<MySqlServer> StartAsync()
    {
        var server = await TryStartContainerAsync() ?? await StartLocalMariaDbAsync();
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

    private static async Task<MySqlServer> StartLocalMariaDbAsync()
    {
        var serverBinary = FindExecutable("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld")
            ?? throw new InvalidOperationException("Neither a Docker engine nor MariaDB is available. Install Debian's mariadb-server (apt-get install mariadb-server) or start Docker.");
        var installBinary = FindExecutable("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db")
            ?? throw new InvalidOperationException("mariadb-install-db not found; install Debian's mariadb-server.");

        var directory = Directory.CreateTempSubdirectory("callerid-mariadb-").FullName;
        var data = Path.Combine(directory, "data");
        var asRoot = Environment.UserName == "root" ? "--user=root" : "";

        await RunAsync(installBinary, $"--no-defaults --datadir={data} --auth-root-authentication-method=normal --skip-test-db {asRoot}", directory);

        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo(serverBinary,
            $"--no-defaults --datadir={data} --socket={directory}/mariadb.sock --pid-file={directory}/mariadb.pid " +
            $"--port={port} --bind-address=127.0.0.1 {asRoot} --skip-log-bin --innodb-buffer-pool-size=256M " +
            "--innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
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

        return new MySqlServer(connectionString, $"local MariaDB on 127.0.0.1:{port}", () =>
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            finally
            {
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            }
            return ValueTask.CompletedTask;
        });
    }

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
