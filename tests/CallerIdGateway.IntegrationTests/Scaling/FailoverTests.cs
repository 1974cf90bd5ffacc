using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.Scaling;

/// <summary>Two instances behind a proxy: each dashboard gets each change once, and one instance dying (SIGKILL) mid-call loses no card.</summary>
public class FailoverTests
{
    [Fact]
    public async Task Each_dashboard_gets_each_change_once_and_when_its_instance_is_killed_mid_ring_it_sees_the_call_ringing_then_answered_on_the_other()
    {
        await using var instances = await TwoInstances.StartAsync();
        await using var proxy = new FailoverProxy(instances.A.BaseAddress, instances.B.BaseAddress);
        await using var onA = await TwoInstances.ConnectDashboardAsync(proxy.BaseAddress, reconnect: true); // through the proxy: a, while it lives
        await using var onB = await TwoInstances.ConnectDashboardAsync(instances.B.BaseAddress);
        var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered", "95");
        var ringing = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\"", StringComparison.Ordinal)) + 1;

        foreach (var frame in frames[..ringing])
        {
            await instances.Ari.SendFrameAsync(frame);
        }
        await TwoInstances.WaitUntilAsync(() => onA.Changes.Count >= 1 && onB.Changes.Count >= 1, TimeSpan.FromSeconds(30), () => instances.Output);
        var callId = onA.Changes[0].Call!.Id;

        instances.A.Kill();
        await TwoInstances.WaitUntilAsync(() => onA.Snapshots.Count >= 1, TimeSpan.FromSeconds(30), () => instances.Output);
        var afterFailover = Assert.Single(onA.Snapshots[0], d => d.Call!.Id == callId);
        Assert.Equal("ringing", afterFailover.Call!.State);
        await TwoInstances.WaitUntilAsync(() => instances.Ari.ConnectedClients == 1, TimeSpan.FromSeconds(30), () => instances.Output);

        foreach (var frame in frames[ringing..])
        {
            await instances.Ari.SendFrameAsync(frame);
        }
        await TwoInstances.WaitUntilAsync(() => onA.StatesOf(callId).Contains("ended") && onB.StatesOf(callId).Contains("ended"), TimeSpan.FromSeconds(30), () => instances.Output);
        Assert.Equal(["ringing", "answered", "ended"], onA.StatesOf(callId)); // ringing from a, the rest from b
        Assert.Equal(["ringing", "answered", "ended"], onB.StatesOf(callId));
    }

    [Fact]
    public async Task One_instance_keeps_the_number_index_in_step_and_the_other_takes_over_when_it_dies()
    {
        await using var instances = await TwoInstances.StartAsync(new Dictionary<string, string?>
        {
            ["Database:PhoneIndexSyncInterval"] = "00:00:01",
            ["Scaling:Redis:IndexLockLease"] = "00:00:03",
        });
        const string takenByA = "instance a keeps the number index in step now";
        const string takenByB = "instance b keeps the number index in step now";
        const string leftByB = "instance b leaves it alone";

        await TwoInstances.WaitUntilAsync(() => instances.B.Output.Contains(leftByB), TimeSpan.FromSeconds(30), () => instances.Output);
        Assert.Contains(takenByA, instances.A.Output);
        Assert.DoesNotContain(takenByB, instances.B.Output);
        Assert.Equal("Healthy", await TwoInstances.HealthOfAsync(instances.B, "phoneIndex")); // b reads the index a keeps in step

        instances.A.Kill(); // dies holding the lease, or between two passes
        await TwoInstances.WaitUntilAsync(() => instances.B.Output.Contains(takenByB), TimeSpan.FromSeconds(30), () => instances.Output);
    }
}
