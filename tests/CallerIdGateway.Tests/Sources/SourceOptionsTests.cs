using CallerIdGateway.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.Sources;

/// <summary>The sections Asterisk:Ari and Asterisk:Ami bind straight onto the clients' options, under the keys README lists.</summary>
public class SourceOptionsTests
{
    private static IServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAsteriskSources();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void The_documented_keys_land_on_the_client_options_and_the_events_are_the_facts_tables()
    {
        var services = Build(new()
        {
            ["Asterisk:Ari:BaseUrl"] = "http://pbx.example:8088/ari",
            ["Asterisk:Ari:Password"] = "ari-secret",
            ["Asterisk:Ari:Application"] = "gateway-2",
            ["Asterisk:Ari:Reconnect:MaxDelay"] = "00:00:05",
            ["Asterisk:Ami:Host"] = "pbx.example",
            ["Asterisk:Ami:Port"] = "5039",
            ["Asterisk:Ami:Secret"] = "ami-secret",
            ["Asterisk:Ami:Reconnect:StableSession"] = "00:00:20",
        });

        var ari = services.GetRequiredService<IOptions<AriSourceOptions>>().Value;
        var ami = services.GetRequiredService<IOptions<AmiSourceOptions>>().Value;

        Assert.Equal(new Uri("http://pbx.example:8088/ari"), ari.BaseUrl);
        Assert.Equal(("gateway", "ari-secret", "gateway-2"), (ari.Username, ari.Password, ari.Application));
        Assert.Equal(TimeSpan.FromSeconds(5), ari.Reconnect.MaxDelay);
        Assert.Equal(AriCallFacts.WantedEvents.Order(), ari.EventTypes!.Order());
        Assert.Equal(("pbx.example", 5039, "gateway", "ami-secret"), (ami.Host, ami.Port, ami.Username, ami.Secret));
        Assert.Equal(TimeSpan.FromSeconds(20), ami.Reconnect.StableSession);
        Assert.True(ami.WantedEvents.SetEquals(AmiCallFacts.WantedEvents));
        Assert.Equal("call,agent", ami.EventMask);
    }

    [Theory]
    [InlineData("Asterisk:Ari:Application", "two words", "Asterisk:Ari:Application must be letters")]
    [InlineData("Asterisk:Ari:BaseUrl", "ftp://pbx.example/ari", "Asterisk:Ari:BaseUrl must be an http(s) URL")]
    [InlineData("Asterisk:Ami:Port", "70000", "Asterisk:Ami:Port must be between 1 and 65535")]
    [InlineData("Asterisk:Ami:Host", "", "Asterisk:Ami:Host is required")]
    public void A_bad_value_is_refused_with_its_key(string key, string value, string message)
    {
        var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<AriSourceOptions>>().Value;
            _ = services.GetRequiredService<IOptions<AmiSourceOptions>>().Value;
        });

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
