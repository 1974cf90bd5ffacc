using System.Text.Encodings.Web;
using CallerIdGateway.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.Auth;

public class ApiKeyAuthenticationHandlerTests
{
    private const string Key = "desk-1008-0123456789abcdef";

    [Theory]
    [InlineData(Key, true)]
    [InlineData("desk-1008-0123456789abcde", false)]    // a prefix
    [InlineData(Key + "f", false)]                      // longer
    [InlineData("x", false)]
    [InlineData("DESK-1008-0123456789ABCDEF", false)]
    public async Task Only_the_exact_key_authenticates(string offered, bool authenticated)
    {
        var result = await AuthenticateAsync(offered);

        Assert.Equal(authenticated, result.Succeeded);
        if (authenticated)
        {
            Assert.Equal("desk", result.Principal!.Identity!.Name);
            Assert.Equal(["1008"], result.Principal.Extensions());
        }
    }

    [Theory]
    [InlineData("x")]
    [InlineData(Key)]
    [InlineData("a key much longer than any configured key, so a length check would have told it apart at once")]
    public void Keys_compare_as_digests_of_one_length_whatever_the_keys_length(string offered)
    {
        var digest = ApiKeyAuthenticationHandler.Digest(offered);

        Assert.Equal(32, digest.Length);
        Assert.Equal(offered == Key, ApiKeyAuthenticationHandler.Matches(digest, Key));
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(string offered)
    {
        var auth = new AuthOptions { ApiKeys = [new ApiKeyClient { Name = "desk", Key = Key, Extensions = ["1008"] }] };
        var handler = new ApiKeyAuthenticationHandler(
            new StaticMonitor<AuthenticationSchemeOptions>(new AuthenticationSchemeOptions()), NullLoggerFactory.Instance, UrlEncoder.Default,
            new StaticMonitor<AuthOptions>(auth));
        var http = new DefaultHttpContext();
        http.Request.Headers[ApiKeyAuthenticationHandler.Header] = offered;
        await handler.InitializeAsync(new AuthenticationScheme(ApiKeyAuthenticationHandler.SchemeName, null, typeof(ApiKeyAuthenticationHandler)), http);
        return await handler.AuthenticateAsync();
    }

    private sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
