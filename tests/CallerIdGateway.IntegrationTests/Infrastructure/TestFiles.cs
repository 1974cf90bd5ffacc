namespace CallerIdGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Files the tests create (SQLite databases, mostly) go into one folder of this test run, removed
/// at the end of the run (<see cref="TestRunCleanup"/>) whether the tests passed or not, and at
/// process exit as a fallback.
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

    /// <summary>Deletes the run's folder, if one was made.</summary>
    public static void DeleteFolder()
    {
        if (Folder.IsValueCreated)
        {
            DeleteQuietly(Folder.Value);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
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
