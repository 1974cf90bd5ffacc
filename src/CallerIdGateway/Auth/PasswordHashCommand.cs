using Microsoft.AspNetCore.Identity;

namespace CallerIdGateway.Auth;

/// <summary><c>dotnet run --project src/CallerIdGateway -- hash-password</c>: prints the hash to put in Auth:Users.</summary>
public static class PasswordHashCommand
{
    public static bool TryRun(string[] args)
    {
        if (args is not ["hash-password", ..])
        {
            return false;
        }
        var password = args.Length > 1 ? args[1] : ReadPassword();
        Console.WriteLine(new PasswordHasher<AgentUser>().HashPassword(new AgentUser(), password));
        return true;
    }

    private static string ReadPassword()
    {
        Console.Error.Write("Password: ");
        return Console.ReadLine() ?? "";
    }
}
