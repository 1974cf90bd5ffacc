namespace CallerIdGateway.Diagnostics;

/// <summary><c>CallerIdGateway --help</c>: the commands and the main settings, instead of starting the server.</summary>
public static class HelpCommand
{
    public static bool TryRun(string[] args)
    {
        if (args is not (["--help", ..] or ["-h", ..] or ["help", ..] or ["-?", ..]))
        {
            return false;
        }
        Console.WriteLine("""
            CallerIdGateway: caller-ID screen pops for Asterisk, from the invoicing database.

            Usage:
              CallerIdGateway [--Key=Value ...]             run the gateway (http://localhost:5000 unless ASPNETCORE_URLS or --urls says otherwise)
              CallerIdGateway doctor [--number N] [...]     check every link with this configuration, one line each; exit 1 if one fails.
                                                            --number explains how N is matched (or why not)
              CallerIdGateway hash-password                 ask for a password twice (no echo) and print the hash for Auth:Users:N:PasswordHash
              CallerIdGateway --help                        this text
            (with the SDK: dotnet run --project src/CallerIdGateway -- doctor)

            Settings come from appsettings.json, environment variables (Database__Provider=MySql) or the
            command line (--Database:Provider=MySql). The main ones:
              Database:Provider                 Sqlite (default, file callerid-gateway.db in the working directory) or MySql
              ConnectionStrings:Gateway         e.g. Server=db;Database=invoicing;User=gateway;Password=...
              Database:Mode                     Own (the gateway's database) or Attach (read the invoicing app's tables)
              Gateway:MonitoredExtensions:0     the extensions whose calls are shown (1008)
              Asterisk:Ari:Enabled, :BaseUrl, :Username, :Password      ARI (http://127.0.0.1:8088/ari)
              Asterisk:Ami:Enabled, :Host, :Port, :Username, :Secret    AMI (127.0.0.1:5038)
              Auth:Users:0:Username, :PasswordHash, :Extensions:0       an agent (Extensions * = supervisor)
              Auth:ApiKeys:0:Name, :Key, :Extensions:0                  a machine client (X-Api-Key)
              Dialplan:AllowedAddresses:0, Dialplan:Secret              who may call the dialplan hooks
              Metrics:AllowedAddresses:0                                who may scrape /metrics
              Scaling:Redis:Configuration, Scaling:InstanceName         several instances on one Redis (docs/scaling.md)
              OpenApi:UiEnabled                 true: the API reference at /scalar/ outside Development
              Serilog:MinimumLevel:Default      Information; Debug shows start-up stack traces
            Every setting: README.md, "Configuration". Health: GET /health/ready.
            """);
        return true;
    }
}
