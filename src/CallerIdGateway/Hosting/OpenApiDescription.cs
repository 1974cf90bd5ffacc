using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CallerIdGateway.Hosting;

/// <summary>
/// What the OpenAPI document adds to what the endpoints declare: the two ways to authenticate
/// (the <c>X-Api-Key</c> header and the dashboard's sign-in cookie) and the refusals every protected
/// endpoint may answer, as ProblemDetails.
/// </summary>
internal static class OpenApiDescription
{
    public const string ApiKeyScheme = "ApiKey";
    public const string CookieScheme = "Cookie";

    public static void Configure(Microsoft.AspNetCore.OpenApi.OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "A key of Auth:ApiKeys (machine clients). The hub takes it as access_token.",
            };
            document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "callerid.session",
                Description = "An agent's session after POST /api/auth/login (the dashboard).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
            {
                return;
            }
            operation.Security ??= [];
            foreach (var scheme in new[] { ApiKeyScheme, CookieScheme })
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
            }
            var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
            operation.Responses ??= [];
            foreach (var (status, description) in Refusals(context.Description.HttpMethod, context.Description.RelativePath))
            {
                operation.Responses.TryAdd(status, new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                });
            }
        });
    }

    /// <summary>What a protected endpoint may answer besides success; 404, 409 and 503 where the endpoint can give them.</summary>
    private static IEnumerable<(string Status, string Description)> Refusals(string? method, string? path)
    {
        yield return ("401", "No credentials, or an unknown key or expired session.");
        yield return ("403", path?.StartsWith("api/diagnostics/", StringComparison.Ordinal) == true
            ? "Only supervisors (credentials that see every extension) may use diagnostics."
            : "The credentials may not see this extension or call.");
        yield return ("429", "Too many requests from this client; try again later.");
        if (path?.StartsWith("api/customers/by-phone", StringComparison.Ordinal) == true)
        {
            yield return ("400", "The input is not a phone number (anonymous, letters, too long…).");
            yield return ("404", "No customer has this number.");
            yield return ("503", "The database did not answer within Database:LookupTimeout.");
        }
        if (path?.StartsWith("api/diagnostics/number", StringComparison.Ordinal) == true)
        {
            yield return ("400", "No number given (?number=), or one longer than 64 characters.");
        }
        if (method == "PUT" && path?.StartsWith("api/customers/", StringComparison.Ordinal) == true)
        {
            yield return ("400", "A number in the body is not a phone number.");
            yield return ("404", "No such customer.");
            yield return ("409", "Database:Mode is Attach: the invoicing app owns customers' numbers.");
        }
    }
}
