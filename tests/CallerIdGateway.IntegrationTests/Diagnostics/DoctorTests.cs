using System.Globalization;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;

namespace CallerIdGateway.IntegrationTests.Diagnostics;

/// <summary><c>CallerIdGateway doctor</c> as an administrator runs it: the real process, the test PBX servers, a real database.</summary>
public class DoctorTests
{
    private const string WrongPassword = "not-the-password-4711";

    private static readonly string PasswordHash =
        new Microsoft.AspNetCore.Identity.PasswordHasher<CallerIdGateway.Auth.AgentUser>().HashPassword(new(), "agent-pass");

    [Fact]
    public async Task Wrong_ARI_credentials_are_named_and_the_exit_code_is_not_zero()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var settings = Ari(ari);
        settings["Asterisk:Ari:Password"] = WrongPassword;

        var exit = await DoctorAsync(settings);

        Assert.Equal(1, exit.Code);
        Assert.Contains($"✗ ARI: ARI GET /ari/asterisk/info: Asterisk refused the credentials of ARI user 'gateway' (HTTP 401). Fix: Set Asterisk:Ari:Username", exit.Output);
        Assert.DoesNotContain(WrongPassword, exit.Output);
    }

    [Fact]
    public async Task A_wrong_AMI_secret_is_named_and_the_exit_code_is_not_zero()
    {
        await using var ami = await TestAmiServer.StartNewAsync();
        var settings = Ami(ami);
        settings["Asterisk:Ami:Secret"] = WrongPassword;

        var exit = await DoctorAsync(settings);

        Assert.Equal(1, exit.Code);
        Assert.Contains($"✗ AMI: Asterisk at 127.0.0.1:{ami.Port} refused the AMI login of user 'gateway': Authentication failed.", exit.Output);
        Assert.DoesNotContain(WrongPassword, exit.Output);
    }

    [Fact]
    public async Task Over_ARI_a_missing_extension_and_one_without_a_registered_phone_are_named()
    {
        await using var ari = new TestAriServer { Endpoints = [new("1008"), new("1009", Registered: false), new("provider")] };
        await ari.StartAsync();
        var settings = Ari(ari);
        settings["Gateway:MonitoredExtensions:2"] = "1010";

        var exit = await DoctorAsync(settings);

        Assert.Equal(1, exit.Code);
        Assert.Contains("✓ ARI: Asterisk 22.10.1 at", exit.Output);
        Assert.Contains("✓ extension 1008: PJSIP/1008 online.", exit.Output);
        Assert.Contains("✗ extension 1009: no phone is registered or reachable now (PJSIP/1009 offline).", exit.Output);
        Assert.Contains("✗ extension 1010: does not exist on the PBX (ARI GET /endpoints lists 1008, 1009, provider).", exit.Output);
    }

    [Theory]
    [InlineData(false, "PJSIP/1009 Unavailable")]
    [InlineData(true, "SIP/1009 UNKNOWN")]
    public async Task Over_AMI_on_PJSIP_or_chan_sip_a_missing_extension_and_an_unregistered_one_are_named(bool chanSip, string unregistered)
    {
        await using var ami = new TestAmiServer { ChanSip = chanSip, Endpoints = [new("1008"), new("1009", Registered: false), new("provider")] };
        await ami.StartAsync();
        var settings = Ami(ami);
        settings["Gateway:MonitoredExtensions:2"] = "1010";

        var exit = await DoctorAsync(settings);

        Assert.Equal(1, exit.Code);
        Assert.Contains($"✓ AMI: Asterisk Manager", exit.Output);
        Assert.Contains($"✗ extension 1009: no phone is registered or reachable now ({unregistered}).", exit.Output);
        Assert.Contains("✗ extension 1010: does not exist on the PBX (AMI lists 1008, 1009, provider).", exit.Output);
    }

    [Fact]
    public async Task An_AMI_user_that_may_not_run_the_resync_is_named()
    {
        await using var ami = new TestAmiServer();
        ami.DeniedActions.Add("CoreShowChannels");
        await ami.StartAsync();

        var exit = await DoctorAsync(Ami(ami));

        Assert.Equal(1, exit.Code);
        Assert.Contains("✓ AMI: Asterisk Manager", exit.Output);
        Assert.Contains("✗ AMI permissions: user 'gateway' may not run CoreShowChannels (Permission denied): calls already ringing when the gateway (re)connects would not show. "
            + "Fix: Give the user write = reporting in manager.conf", exit.Output);
        Assert.Contains("- AMI events: the gateway asks for the event classes call,agent;", exit.Output);
    }

    [Fact]
    public async Task The_ARI_events_WebSocket_is_tried_under_an_application_name_of_its_own()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();

        var exit = await DoctorAsync(Ari(ari));

        Assert.Contains("✓ ARI events: the events WebSocket", exit.Output);
        var upgrade = Assert.Single(ari.Upgrades);
        Assert.Equal("callerid-gateway-doctor", upgrade.Application); // a running gateway's own subscription stays untouched
    }

    [Fact]
    public async Task In_attach_mode_an_invoicing_column_of_a_type_the_gateway_cannot_read_is_named()
    {
        var connectionString = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("doctor-attach");
        await using (var connection = new MySqlConnector.MySqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // issued_at kept as text, as some invoicing apps do: the lookup's date read would fail at the first call.
            command.CommandText = """
                CREATE TABLE customers (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) NOT NULL, phone_numbers JSON NULL);
                CREATE TABLE invoices (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id INT UNSIGNED NOT NULL, number VARCHAR(40) NOT NULL,
                  issued_at VARCHAR(20) NOT NULL, total_amount DECIMAL(20,0) NOT NULL, status ENUM('issued','paid') NOT NULL);
                """;
            await command.ExecuteNonQueryAsync();
        }

        var exit = await DoctorAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:Mode"] = "Attach",
            ["ConnectionStrings:Gateway"] = connectionString,
        });

        Assert.Equal(1, exit.Code);
        Assert.Contains("✗ invoicing columns: Database:Mode is Attach, but invoices.issued_at is VARCHAR(20), the gateway reads DATETIME, TIMESTAMP or DATE.", exit.Output);
    }

    [Fact]
    public async Task The_browser_phone_WebSocket_must_speak_sip_and_each_agent_phone_must_be_an_endpoint()
    {
        await using var sip = await SipWebSocketServer.StartAsync();
        await using var notSip = await SipWebSocketServer.StartAsync(speaksSip: false);
        await using var ari = new TestAriServer { Endpoints = [new("1008"), new("1009"), new("1008-web", Registered: false)] };
        await ari.StartAsync();
        var settings = Ari(ari);
        settings["Phone:WebSocketUrl"] = sip.Url.ToString();
        settings["Auth:Users:0:Username"] = "agent1008";
        settings["Auth:Users:0:PasswordHash"] = PasswordHash;
        settings["Auth:Users:0:Extensions:0"] = "1008";
        settings["Auth:Users:0:Phone:Username"] = "1008-web";
        settings["Auth:Users:0:Phone:Password"] = WrongPassword;
        settings["Auth:Users:1:Username"] = "agent1009";
        settings["Auth:Users:1:PasswordHash"] = PasswordHash;
        settings["Auth:Users:1:Extensions:0"] = "1009";
        settings["Auth:Users:1:Phone:Username"] = "1009-web";
        settings["Auth:Users:1:Phone:Password"] = WrongPassword;
        settings["Auth:Users:1:Phone:WebSocketUrl"] = notSip.Url.ToString();

        var exit = await DoctorAsync(settings);

        Assert.Equal(1, exit.Code);
        Assert.Contains($"✓ browser phone WebSocket: {sip.Url} answers a WebSocket upgrade with the sip subprotocol.", exit.Output);
        Assert.Contains($"✗ browser phone WebSocket: {notSip.Url} answers a WebSocket upgrade, but not with the sip subprotocol (it chose 'none'): it is not a SIP server.", exit.Output);
        Assert.Contains("✓ browser phone of agent1008: PJSIP/1008-web exists on the PBX (offline). Not checked: that it is a WebRTC endpoint", exit.Output);
        Assert.Contains("✗ browser phone of agent1009: SIP user '1009-web' is not an endpoint on the PBX.", exit.Output);
        Assert.DoesNotContain(WrongPassword, exit.Output);
    }

    [Fact]
    public async Task A_stopped_database_is_named_with_its_host_and_port()
    {
        var port = ClosedPort();

        var exit = await DoctorAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["ConnectionStrings:Gateway"] = $"Server=127.0.0.1;Port={port};Database=invoicing;User=gateway;Password={WrongPassword}",
        });

        Assert.Equal(1, exit.Code);
        Assert.Contains($"✗ database: The database at 127.0.0.1:{port} (ConnectionStrings:Gateway) does not answer", exit.Output);
        Assert.DoesNotContain(WrongPassword, exit.Output);
    }

    [Fact]
    public async Task With_every_link_working_it_passes_and_explains_how_a_known_number_matched()
    {
        var database = await MigratedDatabaseAsync();
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var settings = Ari(ari);
        settings["ConnectionStrings:Gateway"] = $"Data Source={database}";

        var exit = await DoctorAsync(settings, "--number", "۰۹۱۲۳۴۵۶۷۸۹");

        Assert.True(exit.Code == 0, exit.Output);
        Assert.Contains("✓ number index: in step:", exit.Output);
        Assert.Contains("✓ number ۰۹۱۲۳۴۵۶۷۸۹: normalized to +989123456789 (shown as 0912 345 6789).", exit.Output);
        Assert.Contains("✓ number ۰۹۱۲۳۴۵۶۷۸۹: index entry +989123456789 → customer 1 خلیلی (typed as '09123456789')", exit.Output);
        Assert.EndsWith("Every check passed.", exit.Output.TrimEnd());
    }

    [Fact]
    public async Task An_unknown_number_is_explained_and_fails()
    {
        var database = await MigratedDatabaseAsync();

        var exit = await DoctorAsync(new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = $"Data Source={database}" }, "--number", "09350001122");

        Assert.Equal(1, exit.Code);
        Assert.True(
            exit.Output.Contains("✗ number 09350001122: no customer has +989350001122 in customers.phone_numbers, in any written form (the index is in step).", StringComparison.Ordinal),
            exit.Output);
    }

    [Fact]
    public async Task Help_prints_the_commands_instead_of_starting_the_server()
    {
        var exit = await GatewayProcess.RunUntilExitAsync(new Dictionary<string, string?>(), TimeSpan.FromMinutes(2), ["--help"]);

        Assert.Equal(0, exit.Code);
        Assert.Contains("CallerIdGateway doctor [--number N]", exit.Output);
        Assert.Contains("ConnectionStrings:Gateway", exit.Output);
        Assert.DoesNotContain("Now listening", exit.Output);
    }

    private static Task<GatewayProcess.Exit> DoctorAsync(IDictionary<string, string?> settings, params string[] arguments) =>
        GatewayProcess.RunUntilExitAsync(settings, TimeSpan.FromMinutes(3), ["doctor", .. arguments]);

    private static Dictionary<string, string?> Ari(TestAriServer ari) => new(GatewayApp.FollowingAri(ari));

    private static Dictionary<string, string?> Ami(TestAmiServer ami) => new()
    {
        ["Gateway:MonitoredExtensions:0"] = "1008",
        ["Gateway:MonitoredExtensions:1"] = "1009",
        ["Asterisk:Ami:Enabled"] = "true",
        ["Asterisk:Ami:Port"] = ami.Port.ToString(CultureInfo.InvariantCulture),
        ["Asterisk:Ami:Username"] = ami.Username,
        ["Asterisk:Ami:Secret"] = ami.Secret,
    };

    /// <summary>A SQLite file the gateway has started on once: migrated, demo data, number index built.</summary>
    private static async Task<string> MigratedDatabaseAsync()
    {
        var file = TestFiles.NewPath("callerid-doctor", ".db");
        await using (var app = GatewayApp.OnSqlite(databaseFile: file))
        {
            app.Start().Dispose();
        }
        return file;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // free again once stopped: nothing listens there
    }
}
