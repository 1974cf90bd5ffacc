using CallerIdGateway.Scaling;

namespace CallerIdGateway.Tests.Scaling;

public class ScalingOptionsTests
{
    private static string[] Failures(ScalingOptions options) =>
        [.. new ScalingOptionsValidator().Validate(null, options).Failures ?? []];

    [Fact]
    public void Off_by_default_and_valid()
    {
        var options = new ScalingOptions();

        Assert.False(options.Enabled);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void A_redis_configuration_that_names_no_server_or_does_not_parse_is_refused_naming_its_key_and_not_the_password()
    {
        var noServer = Failures(new ScalingOptions { Redis = { Configuration = "password=hunter2-secret" } });
        var unknown = Failures(new ScalingOptions { Redis = { Configuration = "redis:6379,password=hunter2-secret,nosuchoption=1" } });

        Assert.Contains(noServer, f => f.StartsWith("Scaling:Redis:Configuration", StringComparison.Ordinal));
        Assert.Contains(unknown, f => f.StartsWith("Scaling:Redis:Configuration", StringComparison.Ordinal));
        Assert.DoesNotContain(noServer.Concat(unknown), f => f.Contains("hunter2-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Instance_names_prefixes_and_leases_out_of_range_are_refused()
    {
        var failures = Failures(new ScalingOptions
        {
            InstanceName = "a b",
            Redis = { Configuration = "redis:6379", KeyPrefix = "", IndexLockLease = TimeSpan.FromSeconds(1) },
        });

        Assert.Contains(failures, f => f.StartsWith("Scaling:InstanceName", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Scaling:Redis:KeyPrefix", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Scaling:Redis:IndexLockLease", StringComparison.Ordinal));
    }
}
