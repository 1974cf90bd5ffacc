using System.Text;
using Microsoft.AspNetCore.Identity;

namespace CallerIdGateway.Auth;

/// <summary>
/// <c>dotnet run --project src/CallerIdGateway -- hash-password</c>: asks for a password twice, without
/// showing it, and prints the hash to put in <c>Auth:Users</c>. No argument form: a password on the
/// command line stays in the shell's history. Piped input (one line per question) is read as is.
/// </summary>
public static class PasswordHashCommand
{
    public const int MinLength = 8;

    /// <summary>The exit code when the arguments ask for this command; null when they do not.</summary>
    public static int? TryRun(string[] args)
    {
        if (args is not ["hash-password", ..])
        {
            return null;
        }
        if (args.Length > 1)
        {
            Console.Error.WriteLine("hash-password takes no argument: a password on the command line stays in the shell's history. "
                + "Run it alone and type the password when asked.");
            return 2;
        }

        var password = Read("Password: ");
        if (string.IsNullOrWhiteSpace(password) || password.Length < MinLength)
        {
            Console.Error.WriteLine($"The password must be at least {MinLength} characters.");
            return 1;
        }
        if (Read("Password again: ") != password)
        {
            Console.Error.WriteLine("The two passwords differ; nothing was hashed.");
            return 1;
        }
        Console.WriteLine(new PasswordHasher<AgentUser>().HashPassword(new AgentUser(), password));
        return 0;
    }

    private static string Read(string prompt)
    {
        Console.Error.Write(prompt);
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? "";
        }
        var password = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}
