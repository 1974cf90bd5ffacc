using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Hosting;
using CallerIdGateway.Phone;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Sources;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// <c>CallerIdGateway doctor [--number N]</c>: with the gateway's own configuration, checks each link
/// a card depends on — database, number index, ARI, AMI, the monitored extensions, the dialplan
/// hooks, the browser phone — one line each, and exits 1 when one fails. It starts no server and changes nothing.
/// </summary>
public sealed class DoctorCommand
{
    private DoctorCommand(string? number, string[] hostArguments)
    {
        Number = number;
        HostArguments = hostArguments;
    }

    /// <summary>The number to explain (<c>--number</c>), if any.</summary>
    public string? Number { get; }

    /// <summary>What the host is built from: the settings given on the command line, and logging quiet so only the checks speak.</summary>
    public string[] HostArguments { get; }

    /// <summary>The command when <paramref name="args"/> asks for it; null otherwise.</summary>
    public static DoctorCommand? Parse(string[] args)
    {
        if (args is not ["doctor", ..])
        {
            return null;
        }
        string? number = null;
        List<string> rest =
        [
            "--Serilog:MinimumLevel:Default=Fatal",
            "--Serilog:MinimumLevel:Override:Microsoft.AspNetCore=Fatal",
            "--Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore=Fatal",
            "--Serilog:MinimumLevel:Override:System.Net.Http.HttpClient=Fatal",
        ];
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--number" && i + 1 < args.Length)
            {
                number = args[++i];
            }
            else if (args[i].StartsWith("--number=", StringComparison.Ordinal))
            {
                number = args[i]["--number=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return new DoctorCommand(number, [.. rest]);
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        var report = new DoctorReport(output);
        await CheckAsync(services, report, Number, cancellationToken);
        output.WriteLine(report.Failed
            ? $"{report.Lines.Count(l => l.Outcome == DoctorOutcome.Failed)} check(s) failed."
            : "Every check passed.");
        return report.Failed ? 1 : 0;
    }

    /// <summary>Every check, in order, into <paramref name="report"/> (the command and the diagnostics page).</summary>
    /// <param name="number">A number to explain, or null.</param>
    public static async Task CheckAsync(IServiceProvider services, DoctorReport report, string? number, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var database = Options<DatabaseOptions>(services, report, configuration);
        var ari = Options<AriSourceOptions>(services, report, configuration);
        var ami = Options<AmiSourceOptions>(services, report, configuration);
        var dialplan = Options<DialplanOptions>(services, report, configuration);
        var gateway = Options<GatewayOptions>(services, report, configuration);
        var phone = Options<PhoneOptions>(services, report, configuration);
        var auth = Options<AuthOptions>(services, report, configuration);

        var databaseUsable = false;
        if (database is not null)
        {
            var normalizer = services.GetRequiredService<PhoneNumberNormalizer>();
            databaseUsable = await new DatabaseDoctor(services, database, normalizer, configuration).CheckAsync(report, cancellationToken);
        }
        IReadOnlyList<PbxEndpoint>? endpoints = null;
        if (ari is not null && ami is not null && gateway is not null)
        {
            endpoints = await new AsteriskDoctor(ari, ami, services.GetRequiredService<MonitoredExtensions>(), services.GetRequiredService<IHttpClientFactory>())
                .CheckAsync(report, cancellationToken);
        }
        if (dialplan is not null)
        {
            DialplanDoctor.Check(report, dialplan);
        }
        if (phone is not null && auth is not null)
        {
            await PhoneDoctor.CheckAsync(report, phone, auth, endpoints, cancellationToken);
        }
        if (number is not null && database is not null && databaseUsable)
        {
            await new NumberDoctor(services, services.GetRequiredService<PhoneNumberNormalizer>(), services.GetRequiredService<CallerResolver>(), database)
                .CheckAsync(report, number, cancellationToken);
        }
    }

    /// <summary>Only the <c>--number</c> explanation (the diagnostics page's "explain this number"); a database that does not answer is a failed line.</summary>
    public static async Task ExplainNumberAsync(IServiceProvider services, DoctorReport report, string number, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (Options<DatabaseOptions>(services, report, configuration) is not { } database)
        {
            return;
        }
        try
        {
            await new NumberDoctor(services, services.GetRequiredService<PhoneNumberNormalizer>(), services.GetRequiredService<CallerResolver>(), database)
                .CheckAsync(report, number, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            report.Fail("database", StartupFailure.Describe(e, configuration), "Check the database line of the checks above.");
        }
    }

    /// <summary>A section's settings, or a failed line naming the wrong key (and null).</summary>
    private static T? Options<T>(IServiceProvider services, DoctorReport report, IConfiguration configuration) where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            report.Fail("configuration", StartupFailure.Describe(e, configuration), "Correct the setting (appsettings.json, an environment variable or the command line).");
            return null;
        }
    }
}
