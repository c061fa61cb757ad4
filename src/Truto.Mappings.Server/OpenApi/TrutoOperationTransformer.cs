using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Truto.Mappings.Adapters;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.OpenApi;

/// <summary>
/// Describes each operation completely: the unified methods from the generated schema metadata
/// they carry (<see cref="UnifiedMethod"/>: path, Truto and method query parameters, body,
/// answers), the account and meta endpoints by name and route, and what the filters add (bearer
/// security and 401, Idempotency-Key and 409, the account's 400/404).
/// </summary>
public sealed class TrutoOperationTransformer(ProviderCatalog catalog, OperationTable operations, IOptions<ServerOptions> options) : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    private const string NoAccount = "No integrated account with this id that the token may see (the same answer for an unknown id and for another environment's or tenant's account).";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document ?? throw new InvalidOperationException("The OpenAPI operation has no document.");
        ApiComponents.Register(document, catalog);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var filters = metadata.OfType<FilterMetadata>().Select(f => f.FilterType).ToHashSet();
        var name = metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
        operation.Responses = new OpenApiResponses();

        if (metadata.OfType<UnifiedMethod>().LastOrDefault() is { } method)
        {
            DescribeUnified(operation, document, method);
        }
        else if (metadata.OfType<BatchJobOperationMetadata>().LastOrDefault() is { } job)
        {
            DescribeJob(operation, document, job);
        }
        else if (metadata.OfType<MetaOperationMetadata>().Any())
        {
            DescribeMeta(operation, document, context.Description.RelativePath ?? "");
        }
        else
        {
            DescribeByName(operation, document, name);
        }

        if (filters.Contains(typeof(AccountFilter)))
        {
            Error(operation, document, 400, "A Truto query parameter or the body is invalid: details.failures names the field.");
            Error(operation, document, 404, "No integrated account with this integrated_account_id that the token may use (its environment and, for a tenant-limited token, its tenant).");
        }
        if (filters.Contains(typeof(IdempotencyFilter)))
        {
            operation.Parameters!.Add(new OpenApiParameter
            {
                Name = IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Description = $"Replays the first answer to this key (with Idempotent-Replayed: true) for {options.Value.IdempotencyWindow.TotalHours:0.##} h; the key is claimed before any provider call, "
                    + "so a concurrent request with it is a 409 with Retry-After; the same key with a different request is a 409. 401, 408, 429, 5xx and streamed answers are not kept. "
                    + "Keys belong to the token's environment and tenant.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            var conflict = ErrorResponse(document, "This Idempotency-Key was used with a different request, or a request with it is still running (retry after Retry-After).");
            conflict.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait when a request with the key is still running.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            };
            operation.Responses!["409"] = conflict;
        }
        if (filters.Contains(typeof(ApiTokenFilter)))
        {
            // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs: here, the token's scope.
            var scope = metadata.OfType<RequiredScope>().LastOrDefault();
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiComponents.Bearer, document)] = scope is null ? [] : [scope.Name] }];
            Error(operation, document, 401, "The API token is missing, unknown or revoked.");
            if (scope is not null)
            {
                operation.Description = (operation.Description is { Length: > 0 } text ? text + "\n\n" : "") + $"Needs an API token with the scope `{scope.Name}`.";
                Error(operation, document, 403, $"The API token lacks the scope '{scope.Name}'.");
            }
        }
        var responses = new OpenApiResponses();
        foreach (var (status, response) in operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            responses[status] = response;
        }
        operation.Responses = responses;
        return Task.CompletedTask;
    }

    private static void DescribeUnified(OpenApiOperation operation, OpenApiDocument document, UnifiedMethod method)
    {
        operation.Summary = method.Title;
        operation.Description = method.Description;
        operation.Tags = new HashSet<OpenApiTagReference> { new("Contacts", document) };
        var parameters = new List<IOpenApiParameter>();
        Add(parameters, ParameterLocation.Path, JsonSchemas.Parameters(method.PathParameters));
        Add(parameters, ParameterLocation.Query, JsonSchemas.Parameters(ContactsSchema.Resource.TrutoQuery.Concat(method.Query)));
        operation.Parameters = parameters;
        if (method.Body.Count > 0)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = "The ids (merged with the query's, body first) and remote_data; ids may come from the query alone.",
                Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(ApiComponents.BatchDeleteRequest, document) } },
            };
            Error(operation, document, 413, "The body is larger than the server accepts (Server:MaxRequestBodyBytes).");
        }
        var success = new OpenApiResponse
        {
            Description = method.Wrapped
                ? "At least one contact was deleted: result lists them, errors the ids that were not. With truto_response_format=raw or stream, the provider's body and status."
                : "The deleted contact, mapped. With truto_response_format=raw or stream, the provider's body and status.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Json] = new() { Schema = new OpenApiSchemaReference(method.Wrapped ? ApiComponents.BatchDeleteResult : ApiComponents.Contact, document) },
            },
            Headers = RateLimitHeaders(),
        };
        operation.Responses!["200"] = success;
        if (method.Wrapped)
        {
            parameters.Add(new OpenApiParameter
            {
                Name = Http.RespondAsync.PreferHeader,
                In = ParameterLocation.Header,
                Description = "respond-async: run the batch as a durable job. The body is checked as for the synchronous call (same 400s), then 202 Accepted with Location "
                    + "(…/batch-delete/jobs/{job_id}) and the job; poll it with GET, cancel it with DELETE. With an Idempotency-Key the 202 is kept: the same key gives the same job.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(Http.RespondAsync.Preference)] },
            });
            operation.Responses["202"] = new OpenApiResponse
            {
                Description = "Prefer: respond-async: the job was created (Preference-Applied: respond-async).",
                Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(ApiComponents.BatchDeleteJob, document) } },
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Location"] = new OpenApiHeader { Description = "The job: /unified/crm/contacts/batch-delete/jobs/{job_id}.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    [Http.RespondAsync.AppliedHeader] = new OpenApiHeader { Description = "respond-async.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
        }
        var rateLimited = ErrorResponse(document, "The provider's rate limit: wait for Retry-After.");
        rateLimited.Headers = RateLimitHeaders();
        rateLimited.Headers["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
        operation.Responses["429"] = rateLimited;
        Error(operation, document, 502, "The provider could not be reached or answered something unreadable.");
        Error(operation, document, 504, "The provider did not answer within the timeout.");
    }

    private static void DescribeJob(OpenApiOperation operation, OpenApiDocument document, BatchJobOperationMetadata job)
    {
        operation.Summary = job.Cancel ? "Cancel a batch-delete job" : "Get a batch-delete job";
        operation.Description = job.Cancel
            ? "Ids not yet sent become cancelled (reported in the job's response errors, never dropped); ids in flight finish. Answers the job."
            : "The job's status, counts and progress; once finished, response holds the synchronous call's body for its ids.";
        operation.Tags = new HashSet<OpenApiTagReference> { new("Contacts", document) };
        operation.Parameters = [Parameter("job_id", ParameterLocation.Path, true, "The job id (from Location).", [])];
        Ok(operation, document, "200", job.Cancel ? "The job after the cancel." : "The job.", ApiComponents.BatchDeleteJob);
        Error(operation, document, 404, "No batch-delete job with this id that the token may see (the same answer for an unknown id and for another environment's or tenant's job).");
        if (job.Cancel)
        {
            Error(operation, document, 409, "The job has finished: there is nothing left to cancel.");
        }
    }

    private void DescribeMeta(OpenApiOperation operation, OpenApiDocument document, string route)
    {
        var byIntegration = route.Contains("{integration}", StringComparison.Ordinal);
        operation.Summary = byIntegration ? "What a provider's mapping does for a method" : "What an integrated account's mapping does for a method";
        operation.Tags = new HashSet<OpenApiTagReference> { new("Meta", document) };
        var parameters = new List<IOpenApiParameter>();
        if (byIntegration)
        {
            parameters.Add(Parameter("integration", ParameterLocation.Path, true, "The provider.", catalog.Names));
        }
        parameters.Add(Parameter("method", ParameterLocation.Path, true, "The unified method.", [.. operations.Operations.Select(o => o.Slug)]));
        if (!byIntegration)
        {
            var account = ContactsSchema.Resource.TrutoQuery.Single(p => p.Name == "integrated_account_id");
            Add(parameters, ParameterLocation.Query, JsonSchemas.Parameters([account]));
            Error(operation, document, 400, "integrated_account_id is missing or not a uuid.");
        }
        operation.Parameters = parameters;
        Ok(operation, document, "200", "The mapping's metadata.", ApiComponents.Meta);
        Error(operation, document, 404, "Unknown integration, method or account, or the provider has no mapping for the method.");
    }

    /// <summary>An inline object schema whose members are all strings.</summary>
    private static OpenApiSchema StringObject(string[] required, params string[] members) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(required),
        Properties = members.ToDictionary(m => m, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.String }),
    };

    /// <summary>The body of <c>/readyz</c>: its status, and on a 503 the checks that failed.</summary>
    private static OpenApiResponse ReadinessAnswer(string description, string[] statuses, bool withFailed)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. statuses.Select(s => (JsonNode)JsonValue.Create(s))] },
        };
        if (withFailed)
        {
            properties["failed"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("store"), JsonValue.Create("key_ring")] },
            };
        }
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Json] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Required = new HashSet<string>(withFailed ? ["status", "failed"] : ["status"]), Properties = properties } },
            },
        };
    }

    private static void DescribeByName(OpenApiOperation operation, OpenApiDocument document, string? name)
    {
        var accountId = Parameter("id", ParameterLocation.Path, true, "The integrated account's id.", []);
        switch (name)
        {
            case "CreateIntegratedAccount":
                operation.Summary = "Create an integrated account";
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(ApiComponents.CreateIntegratedAccount, document) } },
                };
                Ok(operation, document, "201", "The account, without its context.", ApiComponents.IntegratedAccount);
                Error(operation, document, 400, "The body is invalid: unknown integration, a context that is not an object, a context value that cannot be stored.");
                Error(operation, document, 403, "A tenant-limited token asked for another tenant_id.");
                Error(operation, document, 413, "The body is larger than the server accepts.");
                break;
            case "ListIntegratedAccounts":
                operation.Summary = "List integrated accounts";
                Ok(operation, document, "200", "Every account the token sees (its environment; for a tenant-limited token, its tenant), contexts redacted.", ApiComponents.IntegratedAccountList);
                break;
            case "GetIntegratedAccount":
                operation.Summary = "Get an integrated account";
                operation.Parameters = [accountId];
                Ok(operation, document, "200", "The account, context redacted.", ApiComponents.IntegratedAccount);
                Error(operation, document, 404, NoAccount);
                break;
            case "UpdateIntegratedAccount":
                operation.Summary = "Update an integrated account";
                operation.Description = "Merges context into the stored context as a JSON Merge Patch (RFC 7396): nested objects merge, null removes a key, "
                    + "anything else replaces. The merged context is validated as a new account's is. The id stays, so credentials rotate without callers changing anything.";
                operation.Parameters = [accountId];
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(ApiComponents.UpdateIntegratedAccount, document) } },
                };
                Ok(operation, document, "200", "The updated account, context redacted.", ApiComponents.IntegratedAccount);
                Error(operation, document, 400, "The body is invalid: a member other than context and tenant_id, a context that is not an object, a merged context that cannot be stored.");
                Error(operation, document, 403, "A tenant-limited token asked to move the account out of its tenant.");
                Error(operation, document, 404, NoAccount);
                Error(operation, document, 413, "The body is larger than the server accepts.");
                break;
            case "DeleteIntegratedAccount":
                operation.Summary = "Delete an integrated account";
                operation.Parameters = [accountId];
                Ok(operation, document, "200", "The deleted account, context redacted.", ApiComponents.IntegratedAccount);
                Error(operation, document, 404, NoAccount);
                break;
            case "CreateConnectLink":
                operation.Summary = "Create a connect link";
                operation.Description = "A short-lived signed link (Connect:LinkLifetime, 30 min) that opens the connect flow of one integration for one tenant in a browser, "
                    + "ending at redirect_uri with integrated_account_id (or error). redirect_uri must be listed in Connect:AllowedRedirectUris. "
                    + "With integrated_account_id the flow reconnects that account (for one in needs_reauth): it keeps its id and tenant, gets the new credentials and is active again.";
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = StringObject(["integration", "redirect_uri"], "integration", "tenant_id", "redirect_uri", "integrated_account_id") } },
                };
                operation.Responses!["201"] = new OpenApiResponse
                {
                    Description = "The link.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Json] = new() { Schema = StringObject(["link_token", "url", "integration", "expires_at"], "link_token", "url", "integration", "tenant_id", "integrated_account_id", "expires_at") },
                    },
                };
                Error(operation, document, 400, "Unknown integration, a redirect_uri that is not allowed, or an integrated_account_id of another integration or tenant_id.");
                Error(operation, document, 403, "A tenant-limited token asked for another tenant_id.");
                Error(operation, document, 404, "The integrated_account_id to reconnect does not exist (or the token cannot see it).");
                operation.Tags = new HashSet<OpenApiTagReference> { new("Integrated accounts", document) };
                return;
            case "Health":
                operation.Summary = "Health check";
                operation.Tags = new HashSet<OpenApiTagReference> { new("Health", document) };
                operation.Responses!["200"] = new OpenApiResponse
                {
                    Description = "The server is up.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Json] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "status" },
                                Properties = new Dictionary<string, IOpenApiSchema> { ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("ok")] } },
                            },
                        },
                    },
                };
                return;
            case "Readiness":
                operation.Summary = "Readiness check";
                operation.Description = "Whether this instance can serve calls: the store answers a cheap read and the Data Protection key ring protects and unprotects a probe value. No token needed.";
                operation.Tags = new HashSet<OpenApiTagReference> { new("Health", document) };
                operation.Responses!["200"] = ReadinessAnswer("The store and the key ring work.", ["ready"], withFailed: false);
                operation.Responses["503"] = ReadinessAnswer("A check failed; failed names it (store, key_ring).", ["not_ready"], withFailed: true);
                return;
            default:
                throw new InvalidOperationException($"The endpoint '{name}' has no OpenAPI description; describe it in {nameof(TrutoOperationTransformer)}.");
        }
        if (name is "CreateIntegratedAccount" or "ListIntegratedAccounts" or "GetIntegratedAccount" or "UpdateIntegratedAccount" or "DeleteIntegratedAccount")
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new("Integrated accounts", document) };
        }
    }

    private static void Add(List<IOpenApiParameter> parameters, ParameterLocation location, JsonObject objectSchema)
    {
        foreach (var (name, required, schema) in JsonSchemaConverter.Properties(objectSchema))
        {
            var description = schema.Description;
            schema.Description = null;
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = location,
                Required = required || location == ParameterLocation.Path,
                Description = description,
                Schema = schema,
                // remote_query[foo]=bar: an object in the query is written the way Truto's query strings are.
                Style = schema.Type == JsonSchemaType.Object ? ParameterStyle.DeepObject : null,
                Explode = true,
            });
            if (schema.Type is JsonSchemaType.Object or JsonSchemaType.Array)
            {
                // The schema's examples of these are query-string text (id[]=1), not values of the type.
                schema.Examples = null;
            }
        }
    }

    private static OpenApiParameter Parameter(string name, ParameterLocation location, bool required, string description, IEnumerable<string> values)
    {
        var schema = new OpenApiSchema { Type = JsonSchemaType.String };
        var list = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        if (list.Count > 0)
        {
            schema.Enum = list;
        }
        return new OpenApiParameter { Name = name, In = location, Required = required, Description = description, Schema = schema };
    }

    private static Dictionary<string, IOpenApiHeader> RateLimitHeaders() => new()
    {
        ["ratelimit-limit"] = new OpenApiHeader { Description = "The provider's request limit, when it says.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        ["ratelimit-remaining"] = new OpenApiHeader { Description = "Requests left in the provider's window, when it says.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        ["ratelimit-reset"] = new OpenApiHeader { Description = "Seconds until the provider's window resets, when it says.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
    };

    private static void Ok(OpenApiOperation operation, OpenApiDocument document, string status, string description, string component)
        => operation.Responses![status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(component, document) } },
        };

    private static void Error(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse known)
        {
            // Several causes share a status: the description names them all.
            known.Description += " Or: " + description;
            return;
        }
        operation.Responses[key] = ErrorResponse(document, description);
    }

    private static OpenApiResponse ErrorResponse(OpenApiDocument document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(ApiComponents.Error, document) } },
    };
}
