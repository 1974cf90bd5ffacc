namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Files the tests create (SQLite databases, mostly) go into one folder of this test run, removed
/// when the run's process exits, whether the tests passed or not.
/// </summary>
public static class TestFiles
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory($"callerid-tests-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(folder);
        return folder;
    });

    /// <summary>A new, unique path in the run's folder (the file is not created).</summary>
    public static string NewPath(string prefix, string extension) =>
        Path.Combine(Folder.Value, $"{prefix}-{Guid.NewGuid():N}{extension}");

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at exit: a file still open elsewhere is not worth failing the run over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
