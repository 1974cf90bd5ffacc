namespace CallerIdGateway.Tests.Deployment;

/// <summary>docker-compose.yml's "scaling" profile (docs/scaling.md), checked without a Docker engine.</summary>
public class ScalingStackTests
{
    private static readonly ComposeFile Compose = new(Repository.Read("docker-compose.yml"), Repository.EnvFile(".env.example"));

    [Fact]
    public void The_scaling_profile_has_redis_two_gateways_following_the_pbx_under_their_own_names_and_nginx_in_front()
    {
        string[] services = ["redis", "gateway-a", "gateway-b", "proxy"];
        Assert.All(services, s => Assert.Equal(["scaling"], Compose.Sequence(s, "profiles")));
        var a = Compose.Environment("gateway-a");
        var b = Compose.Environment("gateway-b");

        Assert.Empty(a.Concat(b).Select(e => GatewaySettings.Problem(e.Key, e.Value)).OfType<string>());
        Assert.NotEqual(a["Asterisk__Ari__Application"], b["Asterisk__Ari__Application"]);
        Assert.NotEqual(a["Scaling__InstanceName"], b["Scaling__InstanceName"]);
        Assert.Equal(a["Scaling__Redis__Configuration"], b["Scaling__Redis__Configuration"]);
        Assert.Contains($"127.0.0.1:{Compose.Env["REDIS_PORT"]}", a["Scaling__Redis__Configuration"]);
        Assert.Contains($"password={Compose.Env["REDIS_PASSWORD"]}", a["Scaling__Redis__Configuration"]);
        Assert.Equal(Compose.Environment("gateway")["ConnectionStrings__Gateway"], a["ConnectionStrings__Gateway"]); // one database

        var nginx = Repository.Read("deploy/nginx/scaling.conf");
        Assert.Contains($"server 127.0.0.1:{a["ASPNETCORE_HTTP_PORTS"]} ", nginx);
        Assert.Contains($"server 127.0.0.1:{b["ASPNETCORE_HTTP_PORTS"]} ", nginx);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", nginx);
        Assert.Equal("127.0.0.1", a["Hosting__ForwardedHeaders__KnownProxies__0"]);
        Assert.Contains(Compose.Volumes("proxy"), v => v.Source == "./deploy/nginx/scaling.conf");
    }
}
