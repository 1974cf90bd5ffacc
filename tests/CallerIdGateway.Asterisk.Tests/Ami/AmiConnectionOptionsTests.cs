using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiConnectionOptionsTests
{
    private sealed class NoHandler : IAmiEventHandler
    {
        public ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Sending_before_a_session_is_up_fails_at_once_with_AmiConnectionException()
    {
        var connection = new AmiConnection(new AmiClientOptions { Username = "gateway", Secret = "x" }, new NoHandler());

        var error = await Assert.ThrowsAsync<AmiConnectionException>(() => connection.SendActionAsync(new AmiAction("Ping")));

        Assert.Contains("127.0.0.1:5038", error.Message);
        Assert.Equal(ConnectionState.Disconnected, connection.State);
        Assert.Null(connection.ConnectedSince);
        Assert.Null(connection.LastEventAt);
    }

    [Theory]
    [InlineData("", "127.0.0.1", 5038)]
    [InlineData("gateway", " ", 5038)]
    [InlineData("gateway", "127.0.0.1", 0)]
    [InlineData("gate\r\nway", "127.0.0.1", 5038)]
    public void Options_that_cannot_work_are_refused_up_front(string username, string host, int port)
    {
        var options = new AmiClientOptions { Username = username, Host = host, Port = port };

        Assert.Throws<ArgumentException>(() => new AmiConnection(options, new NoHandler()));
    }

    [Fact]
    public void Options_print_where_they_point_but_never_the_secret()
    {
        var options = new AmiClientOptions { Username = "gateway", Secret = "hunter2", Host = "pbx.example", Port = 5039 };

        Assert.Equal("AMI gateway@pbx.example:5039", options.ToString());
    }
}
