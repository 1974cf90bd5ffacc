using System.Net;
using System.Net.Sockets;

namespace CallerIdGateway.Benchmarks;

/// <summary>What the benchmark commands (<c>lookup …</c>, <c>ring-latency</c>) share: their options and a free port.</summary>
internal static class CommandLine
{
    /// <summary><c>--name value</c> pairs; anything else is an error that says what it got.</summary>
    public static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value', got '{args[i]}'.");
            }
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
