using CallerIdGateway.Dialplan;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.Dialplan;

public class DialplanOptionsTests
{
    private static IServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddDialplan();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void The_defaults_are_on_loopback_only_without_a_secret_and_answer_within_300_ms()
    {
        var options = Services().GetRequiredService<IOptions<DialplanOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal(["127.0.0.1/32", "::1/128"], options.AllowedAddresses);
        Assert.Equal("", options.Secret);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.CallerNameBudget);
        Assert.Equal(CallerNameScript.Original, options.CallerNameScript);
        Assert.Equal(40, options.CallerNameMaxLength);
        Assert.False(Services().GetRequiredService<IOptions<FastAgiOptions>>().Value.Enabled);
        Assert.Equal(4573, Services().GetRequiredService<IOptions<FastAgiOptions>>().Value.Port);
    }

    [Fact]
    public void Configured_addresses_replace_the_default()
    {
        var options = Services(("Dialplan:AllowedAddresses:0", "192.168.1.10"), ("Dialplan:Secret", "a-secret-of-16-chars"))
            .GetRequiredService<IOptions<DialplanOptions>>().Value;

        Assert.Equal(["192.168.1.10"], options.AllowedAddresses);
    }

    [Theory]
    [InlineData("192.168.1.10")]
    [InlineData("0.0.0.0/0")]
    [InlineData("127.0.0.0/7")] // reaches past 127.0.0.0/8
    [InlineData("::/0")]
    [InlineData("fe80::1")]
    public void Hooks_that_listen_beyond_this_host_need_a_secret(string network)
    {
        var services = Services(("Dialplan:AllowedAddresses:0", "127.0.0.1"), ("Dialplan:AllowedAddresses:1", network));

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IOptions<DialplanOptions>>().Value);

        Assert.Contains("Dialplan:Secret is required", error.Message);
    }

    [Fact]
    public void Switched_off_hooks_need_no_secret_whatever_they_would_allow() =>
        Assert.False(Services(("Dialplan:Enabled", "false"), ("Dialplan:AllowedAddresses:0", "0.0.0.0/0"))
            .GetRequiredService<IOptions<DialplanOptions>>().Value.Enabled);

    [Theory]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_networks_need_no_secret(string network) =>
        Assert.Equal([network], Services(("Dialplan:AllowedAddresses:0", network)).GetRequiredService<IOptions<DialplanOptions>>().Value.AllowedAddresses);

    [Theory]
    [InlineData("Dialplan:AllowedAddresses:0", "pbx.local", "Dialplan:AllowedAddresses")]
    [InlineData("Dialplan:AllowedAddresses:1", "10.0.0.0/33", "Dialplan:AllowedAddresses")]
    [InlineData("Dialplan:Secret", "short", "Dialplan:Secret")]
    [InlineData("Dialplan:Secret", "has spaces and & signs in it", "Dialplan:Secret")]
    [InlineData("Dialplan:CallerNameBudget", "00:00:10", "Dialplan:CallerNameBudget")]
    [InlineData("Dialplan:CallerNameMaxLength", "500", "Dialplan:CallerNameMaxLength")]
    [InlineData("Dialplan:FastAgi:Port", "70000", "Dialplan:FastAgi:Port")]
    [InlineData("Dialplan:FastAgi:BindAddress", "gateway", "Dialplan:FastAgi:BindAddress")]
    public void A_wrong_setting_is_refused_with_a_message_naming_the_key(string key, string value, string named)
    {
        var services = Services((key, value));

        var error = Assert.ThrowsAny<Exception>(() =>
        {
            _ = services.GetRequiredService<IOptions<DialplanOptions>>().Value;
            _ = services.GetRequiredService<IOptions<FastAgiOptions>>().Value;
        });

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void An_unknown_script_names_the_key()
    {
        var services = Services(("Dialplan:CallerNameScript", "Cyrillic"));

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IOptions<DialplanOptions>>().Value);

        Assert.Contains("Dialplan:CallerNameScript", error.ToString());
    }
}
