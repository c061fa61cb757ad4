using System.Text.Json.Nodes;
using Truto.Mappings.Adapters;
using Truto.Mappings.Coverage;
using Truto.Mappings.Errors;
using Truto.Mappings.Schema;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// What a provider's mapping does for a method, from the same generated metadata as the adapters:
/// the unified schema, the fields the mapping fills, query and body schemas, and the provider's docs.
/// </summary>
public static class MetaEndpoints
{
    public static void MapMetaEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/unified/crm/contacts/{integration}/meta/{method}", (string integration, string method, ProviderCatalog catalog)
            => Meta(catalog, integration, method));
        api.MapGet("/unified/crm/contacts/meta/{method}", async (string method, HttpContext context, ITrutoStore store, ProviderCatalog catalog) =>
        {
            var text = context.Request.Query["integrated_account_id"].ToString();
            if (!Guid.TryParse(text, out var id))
            {
                return ErrorResponses.Result(TrutoError.BadRequest("integrated_account_id", "integrated_account_id is required and must be a uuid."));
            }
            return await store.FindAccountAsync(id.ToString(), context.RequestAborted) is { } account
                ? Meta(catalog, account.Integration, method)
                : ErrorResponses.Result(new TrutoError(404, $"No integrated account with id '{id}'."));
        });
    }

    /// <summary>"delete" or "batch-delete" (the URL spelling) to the method; null otherwise.</summary>
    public static ContactsMethod? ParseMethod(string method) => method switch
    {
        "delete" => ContactsMethod.Delete,
        "batch-delete" or "batch_delete" => ContactsMethod.BatchDelete,
        _ => null,
    };

    private static IResult Meta(ProviderCatalog catalog, string integration, string methodName)
    {
        if (catalog.Find(integration) is not { } adapter)
        {
            return ErrorResponses.Result(new TrutoError(404, $"Unknown integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (ParseMethod(methodName) is not { } method)
        {
            return ErrorResponses.Result(new TrutoError(404, $"Unknown method '{methodName}'; contacts has delete and batch-delete."));
        }
        if (adapter.Info.Find(method) is not { } info)
        {
            return ErrorResponses.Result(new TrutoError(404, $"{adapter.Info.DisplayName} has no mapping for {methodName}."));
        }
        var unified = ContactsSchema.Resource.FindMethod(method == ContactsMethod.Delete ? "delete" : "batch_delete")!;
        var json = new JsonObject
        {
            ["integration"] = adapter.Info.Name,
            ["display_name"] = adapter.Info.DisplayName,
            ["method"] = methodName,
            ["http_method"] = unified.HttpMethod,
            ["path"] = unified.Path,
            ["documentation_link"] = adapter.Info.DocsUrl,
            ["context_keys"] = new JsonArray(adapter.Info.ContextKeys.Select(k => (JsonNode)k).ToArray()),
            ["supported_fields"] = new JsonArray(info.ResponseFields.Select(f => (JsonNode)f).ToArray()),
            ["request_fields"] = new JsonArray(info.RequestFields.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["in"] = f.Location.ToString().ToLowerInvariant(),
                ["required"] = f.Required,
            }).ToArray()),
            ["schema"] = JsonSchemas.ForObject(ContactsSchema.Resource.Fields),
            ["query_schema"] = JsonSchemas.Parameters(ContactsSchema.Resource.TrutoQuery.Concat(unified.Query)),
            ["body_schema"] = unified.Body.Count == 0 ? null : JsonSchemas.Parameters(unified.Body),
        };
        if (method == ContactsMethod.BatchDelete)
        {
            json["batch"] = new JsonObject
            {
                ["strategy"] = info.Strategy == BatchStrategy.FanOut ? "fan_out" : "native",
                ["max_ids_per_call"] = info.MaxIds,
                ["concurrency"] = info.Concurrency,
            };
        }
        return Results.Content(AccountResponses.Serialize(json), "application/json; charset=utf-8");
    }
}
