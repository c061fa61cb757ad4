using Microsoft.OpenApi;
using Truto.Mappings.Adapters;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.OpenApi;

/// <summary>
/// The document's reusable parts: the unified contact (from the generated schema metadata), the
/// batch answer, the Truto error envelope, the integrated-account shapes, and the bearer scheme.
/// </summary>
public static class ApiComponents
{
    public const string Contact = "Contact";
    public const string BatchDeleteRequest = "BatchDeleteRequest";
    public const string BatchDeleteResult = "BatchDeleteResult";
    public const string BatchItemError = "BatchItemError";
    public const string BatchChunkError = "BatchChunkError";
    public const string Error = "TrutoError";
    public const string IntegratedAccount = "IntegratedAccount";
    public const string IntegratedAccountList = "IntegratedAccountList";
    public const string CreateIntegratedAccount = "CreateIntegratedAccount";
    public const string UpdateIntegratedAccount = "UpdateIntegratedAccount";
    public const string Meta = "MethodMeta";
    public const string BatchDeleteJob = "BatchDeleteJob";

    private static readonly string[] JobCounts = ["total", "deleted", "failed", "cancelled", "pending"];

    private static readonly string[] JobStatuses = ["queued", "running", "succeeded", "partially_failed", "failed", "cancelled"];
    public const string Bearer = "bearer";

    /// <summary>Adds every component to <paramref name="document"/> once.</summary>
    public static void Register(OpenApiDocument document, ProviderCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(catalog);
        if (document.Components?.Schemas?.ContainsKey(Contact) == true)
        {
            return;
        }
        var contact = JsonSchemaConverter.Convert(JsonSchemas.ForObject(ContactsSchema.Resource.Fields));
        contact.Description = ContactsSchema.Resource.Description;
        document.AddComponent<IOpenApiSchema>(Contact, contact);

        var batch = ContactsSchema.Resource.FindMethod("batch_delete")!;
        var request = JsonSchemaConverter.Convert(JsonSchemas.Parameters(batch.Body));
        request.Description = "The ids to delete (merged with the query's id[], body first) and data passed to the provider as is.";
        request.Properties ??= new Dictionary<string, IOpenApiSchema>();
        request.Properties["callback_url"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Format = "uri",
            Description = "With Prefer: respond-async only: an https URL the finished job (the job resource without its callback member) is POSTed to, signed with Truto-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">. "
                + "Subject to the egress policy (no loopback or private addresses unless listed in Egress:AllowedBaseUrls). Ignored by the synchronous call.",
        };
        document.AddComponent<IOpenApiSchema>(BatchDeleteRequest, request);
        var counts = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "How many ids are in each state; pending counts ids not answered yet (in flight included).",
            Required = new HashSet<string> { "total", "deleted", "failed", "cancelled", "pending" },
            Properties = JobCounts.ToDictionary(n => n, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" }),
        };
        document.AddComponent<IOpenApiSchema>(BatchDeleteJob, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A durable batch-delete job (Prefer: respond-async). Once finished, response is the body the synchronous call would have returned for its ids (every id once; cancelled ids in errors with cancelled: true).",
            Required = new HashSet<string> { "id", "integrated_account_id", "status", "counts", "progress", "created_at", "updated_at" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The job id." },
                ["integrated_account_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The account the ids are deleted through." },
                ["status"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "queued, running, then succeeded (every id deleted), partially_failed, failed (none deleted) or cancelled.",
                    Enum = [.. JobStatuses.Select(v => (System.Text.Json.Nodes.JsonNode)v)],
                },
                ["counts"] = counts,
                ["progress"] = new OpenApiSchema { Type = JsonSchemaType.Number, Description = "The share of ids answered, 0 to 1." },
                ["cancel_requested"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "True once DELETE asked to cancel: ids not yet sent are cancelled, ids in flight finish." },
                ["created_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                ["started_at"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time" },
                ["finished_at"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time" },
                ["updated_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                ["callback"] = Record("With a callback_url: status (pending, delivered, failed), attempts, last_error."),
                ["response_status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "Once finished: the status the synchronous call would have answered." },
                ["response"] = Record("Once finished: the synchronous call's body for these ids ({result, errors} or, when none was deleted, the first failure's envelope with errors)."),
            },
        });

        document.AddComponent<IOpenApiSchema>(Error, ErrorEnvelope(document));
        var itemError = ErrorMembers("Why one id of a batch was not deleted.");
        itemError.Properties!["id"] = String("The contact id that failed.");
        itemError.Required!.Add("id");
        document.AddComponent<IOpenApiSchema>(BatchItemError, itemError);
        var chunkError = ErrorMembers("The error of one whole provider call of a batch (a chunk of ids), written once; its ids in errors refer to it by chunk.");
        chunkError.Required!.Add("chunk");
        chunkError.Properties!["chunk"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The provider call, counted from 1." };
        document.AddComponent<IOpenApiSchema>(BatchChunkError, chunkError);

        document.AddComponent<IOpenApiSchema>(BatchDeleteResult, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Every requested id appears exactly once: in result (deleted) or in errors (not deleted).",
            Required = new HashSet<string> { "result" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["result"] = Array(new OpenApiSchemaReference(Contact, document), "The deleted contacts, mapped onto the unified schema."),
                ["errors"] = Array(new OpenApiSchemaReference(BatchItemError, document), "The ids that were not deleted; left out when every id was."),
                ["chunk_errors"] = Array(new OpenApiSchemaReference(BatchChunkError, document), "The errors of whole provider calls that failed, each once; left out when there are none."),
            },
        });

        var integrations = catalog.Names.Select(n => (System.Text.Json.Nodes.JsonNode)n).ToList();
        document.AddComponent<IOpenApiSchema>(IntegratedAccount, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An integrated account: a connection to one provider account. Context values whose key names a secret are redacted.",
            Required = new HashSet<string> { "id", "integration", "status", "created_at" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The account id (integrated_account_id of unified calls)." },
                ["integration"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The provider.", Enum = integrations },
                ["tenant_id"] = String("The caller's tenant the account belongs to, if any."),
                ["status"] = String("The account's status: active, or needs_reauth when the provider refused its refresh token (reconnect it, or PATCH its context)."),
                ["status_message"] = String("Why the account needs re-authorisation: the provider's message. Only for needs_reauth."),
                ["status_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "Since when the account needs re-authorisation. Only for needs_reauth." },
                ["created_at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the account was created." },
                ["context"] = Record("The provider credentials and settings; secrets read as \"[redacted]\". Left out of the create answer."),
            },
        });
        document.AddComponent<IOpenApiSchema>(IntegratedAccountList, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "result" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["result"] = Array(new OpenApiSchemaReference(IntegratedAccount, document), "Every integrated account."),
                ["next_cursor"] = String("Always null: every account is in one page."),
            },
        });
        document.AddComponent<IOpenApiSchema>(CreateIntegratedAccount, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "integration" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["integration"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The provider.", Enum = integrations.Select(i => i.DeepClone()).ToList() },
                ["tenant_id"] = String("The caller's tenant the account belongs to."),
                ["context"] = Record("The provider credentials and settings (the meta endpoint lists the keys each provider reads). Encrypted at rest."),
            },
        });
        document.AddComponent<IOpenApiSchema>(UpdateIntegratedAccount, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "What to change: only context and tenant_id may.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["context"] = Record("A JSON Merge Patch (RFC 7396) of the stored context: nested objects merge, null removes a key, anything else replaces."),
                ["tenant_id"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Description = "The tenant to move the account to; null clears it. A tenant-limited token may only keep its own.",
                },
            },
            AdditionalPropertiesAllowed = false,
        });
        document.AddComponent<IOpenApiSchema>(Meta, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "What a provider's mapping does for a method: the fields it fills, its request fields, the unified, query and body JSON Schemas, its batch strategy.",
            Required = new HashSet<string> { "integration", "display_name", "method", "http_method", "path" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["integration"] = String("The provider."),
                ["display_name"] = String("The provider's name."),
                ["method"] = String("delete or batch-delete."),
                ["http_method"] = String("The unified API's HTTP method."),
                ["path"] = String("The unified API's path."),
                ["documentation_link"] = String("The provider's API documentation."),
                ["context_keys"] = Array(String("A context key."), "The account context keys the mapping reads."),
                ["context"] = Array(Record("A declared context key: name, type (string, number, boolean), secret, label, help, required, and shape (kind dns_label, one_of with values, or https_origin) for keys that form a URL."), "The context keys the provider declares, for connecting an account."),
                ["supported_fields"] = Array(String("A dotted field path."), "The unified fields the mapping fills."),
                ["request_fields"] = Array(Record("A request field: name, in, required."), "The unified request fields the mapping uses."),
                ["schema"] = Record("JSON Schema of the unified contact."),
                ["query_schema"] = Record("JSON Schema of the query parameters."),
                ["body_schema"] = Record("JSON Schema of the body, when the method has one."),
                ["batch"] = Record("For batch-delete: strategy (native or fan_out), max_ids_per_call, concurrency."),
            },
            AdditionalProperties = new OpenApiSchema(),
        });

        document.AddComponent<IOpenApiSecurityScheme>(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API token (`tokens create`, or TRUTO_API_TOKEN): Authorization: Bearer <api token>. A token belongs to an environment, "
                + "carries scopes (accounts:read, accounts:write — which includes accounts:read —, unified; each operation lists the one it needs) and may be limited to one tenant's accounts.",
        });
    }

    private static OpenApiSchema ErrorEnvelope(OpenApiDocument document)
    {
        var envelope = ErrorMembers("The Truto error envelope: every failure, the server's own and the provider's.");
        envelope.Properties!["errors"] = Array(new OpenApiSchemaReference(BatchItemError, document), "batch-delete when no id was deleted: every id with its failure.");
        envelope.Properties["chunk_errors"] = Array(new OpenApiSchemaReference(BatchChunkError, document), "batch-delete when no id was deleted: the errors of whole provider calls, each once.");
        return envelope;
    }

    private static OpenApiSchema ErrorMembers(string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Required = new HashSet<string> { "statusCode", "error", "message" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["statusCode"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["error"] = String("The status's reason phrase (Not Found)."),
            ["message"] = String("What went wrong; for provider errors, the provider's message."),
            ["truto_is_remote_error"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "True when the provider answered the error." },
            ["raw_response"] = new OpenApiSchema { Description = "The provider's answer as it sent it (provider errors only); past Runtime:MaxRawResponseBytes only the beginning of its text." },
            ["truto_raw_response_truncated"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "True when raw_response is only the beginning of the provider's answer." },
            ["chunk"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "In a batch: the provider call whose failure this is; its raw_response is in chunk_errors, once." },
            ["details"] = Record("Validation details: failures, each with the field and a message."),
        },
    };

    private static OpenApiSchema String(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Record(string description) => new() { Type = JsonSchemaType.Object, Description = description, AdditionalProperties = new OpenApiSchema() };

    private static OpenApiSchema Array(IOpenApiSchema items, string description) => new() { Type = JsonSchemaType.Array, Items = items, Description = description };
}
