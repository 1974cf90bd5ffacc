using CallerIdGateway.Asterisk;

namespace CallerIdGateway.Asterisk.Tests;

/// <summary>The lifecycle both clients share, driven by a scripted session instead of a socket.</summary>
public class AsteriskConnectionTests
{
    /// <summary>Runs one scripted step per session; cancels the run once the script is done.</summary>
    private sealed class ScriptedConnection(ReconnectOptions reconnect, params Func<ScriptedConnection, SessionEndKind>[] script)
        : AsteriskConnection(reconnect, null)
    {
        private readonly CancellationTokenSource _stop = new();
        private int _step;

        public List<string> Reports { get; } = [];

        public Task RunScriptAsync() => RunAsync(_stop.Token);

        public void Open() => SessionOpened();

        protected override Task<SessionEnd> RunSessionAsync(CancellationToken cancellationToken)
        {
            if (_step == script.Length)
            {
                _stop.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
            var end = script[_step++](this);
            return Task.FromResult(end == SessionEndKind.Replaced ? SessionEnd.ReplacedBy("replaced") : SessionEnd.Lost("dropped"));
        }

        protected override void ReportConnected(int failedAttempts) => Reports.Add($"connected after {failedAttempts} failed");

        protected override void ReportRetrying(int attempt, string reason, TimeSpan delay) => Reports.Add($"retrying: {reason}");

        protected override void ReportLost(TimeSpan uptime, string reason) => Reports.Add($"lost: {reason}");

        protected override void ReportAuthenticationFailed(string reason, TimeSpan delay) => Reports.Add($"refused: {reason}");
    }

    private enum SessionEndKind
    {
        Lost,
        Replaced,
    }

    private static ReconnectOptions Reconnect(TimeSpan stableSession) => new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(1),
        AuthFailureDelay = TimeSpan.FromMilliseconds(1),
        StableSession = stableSession,
    };

    private static SessionEndKind OpenThenDrop(ScriptedConnection c)
    {
        c.Open();
        return SessionEndKind.Lost;
    }

    [Fact]
    public async Task A_session_shorter_than_StableSession_counts_as_a_failed_attempt()
    {
        var connection = new ScriptedConnection(Reconnect(TimeSpan.FromHours(1)), OpenThenDrop, OpenThenDrop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(connection.RunScriptAsync);

        Assert.Equal(
            ["connected after 0 failed", "lost: dropped", "retrying: connection lost after 0.0 s: dropped",
             "connected after 1 failed", "lost: dropped", "retrying: connection lost after 0.0 s: dropped"],
            connection.Reports);
        Assert.Equal(2, connection.Sessions);
        Assert.StartsWith("connection lost after", connection.LastError!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_stable_session_the_next_starts_at_once_with_a_fresh_backoff()
    {
        var connection = new ScriptedConnection(Reconnect(TimeSpan.Zero), OpenThenDrop, OpenThenDrop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(connection.RunScriptAsync);

        Assert.Equal(["connected after 0 failed", "lost: dropped", "connected after 0 failed", "lost: dropped"], connection.Reports);
        Assert.Equal("connection lost: dropped", connection.LastError!.Message);
        Assert.Equal(ConnectionState.Disconnected, connection.State);
        Assert.Null(connection.ConnectedSince);
    }

    [Fact]
    public async Task Refused_credentials_pause_and_are_not_retried_by_the_backoff()
    {
        var connection = new ScriptedConnection(Reconnect(TimeSpan.Zero),
            _ => throw new AsteriskAuthenticationException("wrong secret"),
            OpenThenDrop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(connection.RunScriptAsync);

        Assert.Equal(["refused: wrong secret", "connected after 1 failed", "lost: dropped"], connection.Reports);
    }

    [Fact]
    public async Task A_replaced_session_ends_the_run_for_good()
    {
        var connection = new ScriptedConnection(Reconnect(TimeSpan.Zero), c =>
        {
            c.Open();
            return SessionEndKind.Replaced;
        });

        await connection.RunScriptAsync();

        Assert.Equal(ConnectionState.Replaced, connection.State);
        Assert.Equal("replaced", connection.LastError!.Message);
        Assert.Equal(["connected after 0 failed"], connection.Reports);
    }

    [Fact]
    public async Task A_connection_runs_once_at_a_time()
    {
        var opened = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var connection = new ScriptedConnection(Reconnect(TimeSpan.Zero), c =>
        {
            c.Open();
            opened.SetResult();
            release.Task.Wait(TimeSpan.FromSeconds(30));
            return SessionEndKind.Replaced;
        });
        var first = Task.Run(connection.RunScriptAsync);
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<InvalidOperationException>(connection.RunScriptAsync);

        release.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
