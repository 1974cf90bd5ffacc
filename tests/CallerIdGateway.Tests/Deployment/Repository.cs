using CallerIdGateway.Testing;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>Files of this repository, found from the test's output folder upwards.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CallerIdGateway.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CallerIdGateway.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    public static AsteriskConf AsteriskConfig(string file) => AsteriskConf.Parse(Read("asterisk-config/" + file));

    /// <summary><c>KEY=value</c> lines of an env file (.env.example, deploy/*.env); comments and blanks skipped.</summary>
    public static Dictionary<string, string> EnvFile(string relative) =>
        Read(relative).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')].Trim(), l => l[(l.IndexOf('=') + 1)..].Trim());
}
