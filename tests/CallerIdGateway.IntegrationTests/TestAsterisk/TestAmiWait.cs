namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>Waits for a condition instead of sleeping a guessed time.</summary>
public static class TestAmiWait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what ?? "the condition"} after {timeout ?? DefaultTimeout}.");
            }
            await Task.Delay(10);
        }
    }
}
