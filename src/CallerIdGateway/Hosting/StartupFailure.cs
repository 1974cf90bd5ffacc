using System.Data.Common;
using System.Text.RegularExpressions;
using CallerIdGateway.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Serilog.Events;

namespace CallerIdGateway.Hosting;

/// <summary>
/// Why the gateway did not start, in one line that names the setting to fix. The host's own
/// "Hosting failed to start" log (a stack trace of 14–54 lines) is left out at the default log level:
/// Program.cs prints this line instead, and <c>Serilog:MinimumLevel:Default=Debug</c> brings the trace back.
/// </summary>
internal static partial class StartupFailure
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The id of the host's "Hosting failed to start" event (Microsoft.Extensions.Hosting's LoggerEventIds.HostedServiceStartupFaulted).</summary>
    private const int HostedServiceStartupFaulted = 11;

    /// <summary>True when the log level in the configuration asks for details (Debug or Verbose).</summary>
    public static bool DetailsWanted(IConfiguration configuration) =>
        (configuration["Serilog:MinimumLevel:Default"] ?? configuration["Serilog:MinimumLevel"]) is { } level
        && Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) && parsed <= LogEventLevel.Debug;

    /// <summary>
    /// Leaves out what <see cref="Describe"/>'s line reports already: the host's own report of a failed
    /// start, and EF Core's logs of the failing command while starting (the start-up migration or Attach
    /// mode's check). Unless <c>Serilog:MinimumLevel:Default</c> asks for Debug.
    /// </summary>
    internal sealed class LogFilter(bool detailsWanted)
    {
        /// <summary>Set once the host has started; from then on EF Core's warnings and errors are news.</summary>
        public volatile bool Started;

        public bool IsReported(LogEvent logEvent)
        {
            if (detailsWanted || !logEvent.Properties.TryGetValue("SourceContext", out var source) || source is not ScalarValue { Value: string category })
            {
                return false;
            }
            if (category == HostCategory)
            {
                return logEvent.Properties.TryGetValue("EventId", out var eventId) && eventId is StructureValue id
                    && id.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: HostedServiceStartupFaulted });
            }
            return !Started && logEvent.Level >= LogEventLevel.Warning && category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal);
        }
    }

    public static string Describe(Exception exception, IConfiguration configuration)
    {
        var chain = Chain(exception).ToList();
        if (chain.OfType<OptionsValidationException>().FirstOrDefault() is { } invalid)
        {
            return OneLine(invalid.Message);
        }
        foreach (var e in chain)
        {
            if (ConversionFailure().Match(e.Message) is { Success: true } match)
            {
                return WrongValue(match.Groups["key"].Value, match.Groups["value"].Value, match.Groups["type"].Value);
            }
        }
        // Our own messages name their setting already (Attach mode's missing tables, say); a driver's does not.
        if (exception is not DbException && exception.Message.Contains("ConnectionStrings:Gateway", StringComparison.Ordinal))
        {
            return OneLine(exception.Message);
        }
        if (chain.OfType<DbException>().FirstOrDefault() is { } database)
        {
            return OneLine(DatabaseFailure(database, configuration));
        }
        return OneLine(exception.Message);
    }

    private static string WrongValue(string key, string value, string typeName)
    {
        var type = typeof(StartupFailure).Assembly.GetType(typeName) ?? Type.GetType(typeName);
        var expected = type switch
        {
            { IsEnum: true } => "accepted values: " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(TimeSpan) => "expected a duration such as 00:00:15 (hh:mm:ss)",
            _ when type == typeof(bool) => "expected true or false",
            _ when type == typeof(int) || type == typeof(long) => "expected a whole number",
            _ when type == typeof(Uri) => "expected a URL such as http://127.0.0.1:8088/ari",
            _ => "expected a " + (type?.Name ?? typeName),
        };
        return $"{key} is '{value}'; {expected}.";
    }

    private static string DatabaseFailure(DbException exception, IConfiguration configuration)
    {
        var provider = configuration[$"{DatabaseOptions.Section}:Provider"];
        var connectionString = configuration.GetConnectionString("Gateway") ?? DataExtensions.DefaultSqliteConnectionString;
        try
        {
            if (string.Equals(provider, nameof(DatabaseProvider.MySql), StringComparison.OrdinalIgnoreCase))
            {
                var mySql = new MySqlConnectionStringBuilder(connectionString);
                var where = $"{mySql.Server}:{mySql.Port}";
                return exception is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost }
                    ? $"The database at {where} (ConnectionStrings:Gateway) does not answer: is the server running, and is the port open to this host? ({exception.Message})"
                    : $"The database at {where} as user '{mySql.UserID}' (ConnectionStrings:Gateway) refused: {exception.Message}";
            }
            var file = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
            return $"The SQLite database {file} (ConnectionStrings:Gateway) cannot be used: {exception.Message}";
        }
        catch (ArgumentException)
        {
            return $"The database (ConnectionStrings:Gateway) cannot be used: {exception.Message}";
        }
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var e in inner.SelectMany(Chain))
        {
            yield return e;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
