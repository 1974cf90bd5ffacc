using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace CallerIdGateway.Data;

/// <summary>
/// Checks <c>ConnectionStrings:Gateway</c> at start, so a typo is reported against its key with what
/// is wrong in it, instead of as a driver's message from deep inside the first query. The message
/// never repeats the connection string (it may hold a password).
/// </summary>
internal sealed class ConnectionStringValidator : IValidateOptions<DatabaseOptions>
{
    private const string Key = "ConnectionStrings:Gateway";

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString) || !Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Skip; // empty: the SQLite default, or the MySql rule reports it
        }
        var mySql = options.Provider == DatabaseProvider.MySql;
        var example = mySql ? "Server=db;Port=3306;Database=invoicing;User=gateway;Password=secret" : "Data Source=callerid-gateway.db";
        try
        {
            if (mySql)
            {
                var builder = new MySqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Server))
                {
                    return ValidateOptionsResult.Fail($"{Key} names no Server; expected e.g. {example}.");
                }
                if (string.IsNullOrWhiteSpace(builder.Database))
                {
                    return ValidateOptionsResult.Fail($"{Key} names no Database; expected e.g. {example}.");
                }
            }
            else if (string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource))
            {
                return ValidateOptionsResult.Fail($"{Key} names no Data Source; expected e.g. {example}.");
            }
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{Key} is not a valid {options.Provider} connection string: {FirstSentence(e.Message)} Expected e.g. {example}.");
        }
    }

    private static string FirstSentence(string message) => message.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? message[..(end + 1)] : message;
}
