using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Asterisk.Tests.Ari;

/// <summary>What can be checked without a socket; the stream's behaviour is in the integration tests.</summary>
public class AriEventStreamOptionsTests
{
    private sealed class NoHandler : IAriEventHandler
    {
        public ValueTask OnConnectedAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnEventAsync(AriEvent evt, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public void Starts_disconnected_with_no_times()
    {
        var stream = new AriEventStream(new AriClientOptions(), new NoHandler());

        Assert.Equal(ConnectionState.Disconnected, stream.State);
        Assert.Null(stream.ConnectedSince);
        Assert.Null(stream.LastEventAt);
    }

    [Theory]
    [InlineData(nameof(AriClientOptions.BaseUrl))]
    [InlineData(nameof(AriClientOptions.Application))]
    [InlineData(nameof(AriClientOptions.MaxMessageBytes))]
    [InlineData(nameof(AriClientOptions.KeepAliveInterval))]
    [InlineData(nameof(AriClientOptions.ConnectTimeout))]
    public void Refuses_options_it_cannot_work_with(string option)
    {
        var options = new AriClientOptions();
        switch (option)
        {
            case nameof(AriClientOptions.BaseUrl): options.BaseUrl = new Uri("ari", UriKind.Relative); break;
            case nameof(AriClientOptions.Application): options.Application = " "; break;
            case nameof(AriClientOptions.MaxMessageBytes): options.MaxMessageBytes = 0; break;
            case nameof(AriClientOptions.KeepAliveInterval): options.KeepAliveInterval = TimeSpan.FromSeconds(-1); break;
            case nameof(AriClientOptions.ConnectTimeout): options.ConnectTimeout = TimeSpan.Zero; break;
        }

        Assert.ThrowsAny<ArgumentException>(() => new AriEventStream(options, new NoHandler()));
    }
}
