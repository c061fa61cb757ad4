using System.Text.Json.Nodes;
using Truto.Mappings.Adapters;
using Truto.Mappings.Coverage;
using Truto.Mappings.Errors;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// What a provider's mapping does for a method, from the same generated metadata as the adapters:
/// the unified schema, the fields the mapping fills, query and body schemas, and the provider's docs.
/// One pair of routes per resource of the operation table; methods are looked up in it by name or slug.
/// </summary>
public static class MetaEndpoints
{
    public static void MapMetaEndpoints(this IEndpointRouteBuilder api)
    {
        var table = api.ServiceProvider.GetRequiredService<OperationTable>();
        foreach (var resource in table.Resources)
        {
            var root = $"/unified/{resource.UnifiedModel}/{resource.Resource}";
            api.MapGet(root + "/{integration}/meta/{method}", (string integration, string method, ProviderCatalog catalog)
                => Meta(catalog, table, resource, integration, method));
            api.MapGet(root + "/meta/{method}", async (string method, HttpContext context, ITrutoStore store, ProviderCatalog catalog) =>
            {
                var text = context.Request.Query["integrated_account_id"].ToString();
                if (!Guid.TryParse(text, out var id))
                {
                    return ErrorResponses.Result(TrutoError.BadRequest("integrated_account_id", "integrated_account_id is required and must be a uuid."));
                }
                // Needs no scope, but shows only the caller's accounts: any other id is unknown.
                return await VisibleAccounts.FindAsync(store, ApiCaller.From(context), id.ToString(), context.RequestAborted) is { } account
                    ? Meta(catalog, table, resource, account.Integration, method)
                    : ErrorResponses.Result(VisibleAccounts.NotFound(id.ToString()));
            });
        }
    }

    private static IResult Meta(ProviderCatalog catalog, OperationTable table, UnifiedResource resource, string integration, string methodName)
    {
        if (catalog.Find(integration) is not { } adapter)
        {
            return ErrorResponses.Result(new TrutoError(404, $"Unknown integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (table.Find(resource.Resource, methodName) is not { } operation)
        {
            return ErrorResponses.Result(new TrutoError(404, $"Unknown method '{methodName}'; {resource.Resource} has {table.Describe(resource.Resource)}."));
        }
        if (operation.For(adapter.Info.Name) is not { Info: var info } providerOperation)
        {
            return ErrorResponses.Result(new TrutoError(404, $"{adapter.Info.DisplayName} has no mapping for {methodName}."));
        }
        var unified = operation.Method;
        var json = new JsonObject
        {
            ["integration"] = adapter.Info.Name,
            ["display_name"] = adapter.Info.DisplayName,
            ["method"] = methodName,
            ["http_method"] = unified.HttpMethod,
            ["path"] = unified.Path,
            ["documentation_link"] = adapter.Info.DocsUrl,
            ["context_keys"] = new JsonArray(adapter.Info.ContextKeys.Select(k => (JsonNode)k).ToArray()),
            ["context"] = ContextKeysJson.Describe(adapter.Info.Context),
            ["supported_fields"] = new JsonArray(info.ResponseFields.Select(f => (JsonNode)f).ToArray()),
            ["request_fields"] = new JsonArray(info.RequestFields.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["in"] = f.Location.ToString().ToLowerInvariant(),
                ["required"] = f.Required,
            }).ToArray()),
            ["schema"] = JsonSchemas.ForObject(resource.Fields),
            ["query_schema"] = JsonSchemas.Parameters(resource.TrutoQuery.Concat(unified.Query)),
            ["body_schema"] = unified.Body.Count == 0 ? null : JsonSchemas.Parameters(unified.Body),
        };
        if (providerOperation is BatchOperation batch)
        {
            json["batch"] = new JsonObject
            {
                ["strategy"] = batch is FanOutOperation ? "fan_out" : "native",
                ["max_ids_per_call"] = batch.IdsPerCall,
                ["concurrency"] = info.Concurrency,
            };
        }
        if (adapter is Interpreter.Adapters.InterpretedAdapter interpreted)
        {
            // Run from its YAML at run time (Mappings:InterpretedFolder), not compiled: said where it is described.
            json["interpreted_from"] = Path.GetFileName(interpreted.FilePath);
        }
        return Results.Content(AccountResponses.Serialize(json), "application/json; charset=utf-8");
    }
}
