using System.Text.RegularExpressions;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>
/// The container stack cannot start here (no Docker engine), so what can be checked without one is:
/// the files parse, every setting they give the gateway is one of its settings, every path they
/// mount or copy exists, and the placeholders agree with asterisk-config/.
/// </summary>
public partial class ContainerStackTests
{
    private static readonly string Yaml = Repository.Read("docker-compose.yml");
    private static readonly Dictionary<string, string> Env = Repository.EnvFile(".env.example");
    private static readonly ComposeFile Compose = new(Yaml, Env);

    [Fact]
    public void The_stack_has_mysql_84_asterisk_and_the_gateway_built_from_this_repository()
    {
        // Without a profile (docs/scaling.md's services are in the "scaling" profile).
        Assert.Equal(["asterisk", "db", "gateway"], Compose.Services.Where(s => Compose.Profiles(s.Key).Count == 0).Select(s => s.Key).Order());
        Assert.Equal("mysql:8.4", Compose.Scalar("db", "image"));
        Assert.StartsWith("andrius/asterisk:2", Compose.Scalar("asterisk", "image"));
        Assert.True(Repository.Exists(Path.Combine(Compose.Scalar("gateway", "build", "context")!, Compose.Scalar("gateway", "build", "dockerfile")!)));
    }

    [Fact]
    public void Every_environment_variable_of_the_gateway_is_one_of_its_settings_and_lands_on_it()
    {
        var environment = Compose.Environment("gateway");

        Assert.NotEmpty(environment);
        Assert.Empty(environment.Select(e => GatewaySettings.Problem(e.Key, e.Value)).OfType<string>());
    }

    [Fact]
    public void The_gateway_talks_to_the_database_and_to_asterisk_where_the_stack_puts_them()
    {
        var environment = Compose.Environment("gateway");

        Assert.Equal("MySql", environment["Database__Provider"]);
        Assert.Contains($"Port={Env["MYSQL_PORT"]}", environment["ConnectionStrings__Gateway"]);
        Assert.Contains($"Password={Env["MYSQL_PASSWORD"]}", environment["ConnectionStrings__Gateway"]);
        Assert.Contains($"Database={Compose.Environment("db")["MYSQL_DATABASE"]}", environment["ConnectionStrings__Gateway"]);
        Assert.Contains($"User={Compose.Environment("db")["MYSQL_USER"]}", environment["ConnectionStrings__Gateway"]);
        Assert.Equal(new AriSourceOptions().BaseUrl, new Uri(environment["Asterisk__Ari__BaseUrl"]));
        Assert.Equal(new AriSourceOptions().Application, environment["Asterisk__Ari__Application"]);
        Assert.Equal(new AmiSourceOptions().Port.ToString(), environment["Asterisk__Ami__Port"]);
        // Asterisk's ARI/AMI listen on 127.0.0.1 (asterisk-config/): only a shared network namespace reaches them.
        Assert.Equal("host", Compose.Scalar("gateway", "network_mode"));
        Assert.Equal("host", Compose.Scalar("asterisk", "network_mode"));
    }

    [Fact]
    public void The_secrets_are_the_placeholders_asterisk_config_uses()
    {
        var environment = Compose.Environment("gateway");
        var ari = Repository.AsteriskConfig("ari.conf").Single("gateway");
        var manager = Repository.AsteriskConfig("manager.conf").Single("gateway");
        var globals = Repository.AsteriskConfig("extensions.conf").Single("globals");

        Assert.Equal(ari["password"], environment["Asterisk__Ari__Password"]);
        Assert.Equal(manager["secret"], environment["Asterisk__Ami__Secret"]);
        Assert.Equal(globals["GATEWAY_SECRET"], environment["Dialplan__Secret"]);
    }

    [Fact]
    public void Every_variable_the_compose_file_uses_is_in_env_example_with_the_same_placeholder()
    {
        foreach (var (name, fallback) in ComposeFile.Variables(Yaml))
        {
            Assert.True(Env.ContainsKey(name), $"{name} is used by docker-compose.yml but missing from .env.example");
            if (fallback is not null)
            {
                Assert.Equal(fallback, Env[name]);
            }
        }
    }

    [Fact]
    public void Every_path_the_stack_mounts_exists_and_every_named_volume_is_declared()
    {
        foreach (var service in Compose.Services.Keys)
        {
            foreach (var (source, _) in Compose.Volumes(service))
            {
                if (source.StartsWith('.') || source.StartsWith('/'))
                {
                    Assert.True(Repository.Exists(source), $"{service} mounts {source}, which is not in the repository");
                }
                else
                {
                    Assert.Contains(source, Compose.NamedVolumes);
                }
            }
        }
        Assert.Contains(Compose.Volumes("asterisk"), v => v.Source == "./asterisk-config" && v.Target == "/etc/asterisk");
    }

    [Fact]
    public void Every_compose_service_the_docs_mention_exists()
    {
        var mentioned = new[] { "docs/install.md", "docs/asterisk-setup.md", "docs/dialplan-hooks.md" }
            .SelectMany(doc => DocsComposeCommand().Matches(Repository.Read(doc)))
            .Select(m => m.Groups["service"].Value)
            .ToHashSet();

        Assert.NotEmpty(mentioned);
        Assert.Subset(Compose.Services.Keys.ToHashSet(), mentioned);
    }

    [Fact]
    public void The_image_builds_from_existing_paths_runs_as_a_non_root_user_and_checks_its_liveness()
    {
        var dockerfile = Repository.Read("Dockerfile");

        foreach (Match copy in DockerCopy().Matches(dockerfile))
        {
            foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(Repository.Exists(source), $"Dockerfile copies {source}, which is not in the repository");
            }
        }
        Assert.Matches(@"(?m)^USER app\s*$", dockerfile);
        Assert.Matches(@"(?m)^HEALTHCHECK (?:[^\n]*\\\n)*[^\n]*/health/live", dockerfile); // continuation lines included
        Assert.Matches(@"apt-get install [^\n]*\bnpm\b", dockerfile); // the project's build runs npm for the dashboard
        Assert.Contains("ASPNETCORE_HTTP_PORTS=5000", dockerfile);
        Assert.Equal("5000", Compose.Environment("gateway")["ASPNETCORE_HTTP_PORTS"]);
        Assert.Contains("**/bin/", Repository.Read(".dockerignore"));
        Assert.Contains("**/node_modules/", Repository.Read(".dockerignore"));
    }

    [GeneratedRegex(@"docker compose (?:logs(?: -f)?|restart|stop|start|ps|pull|build|up -d|exec|run --rm) (?<service>[a-z][\w-]*)")]
    private static partial Regex DocsComposeCommand();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(?<sources>.+?) \S+\s*$")]
    private static partial Regex DockerCopy();
}
