using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The served OpenAPI document: read back by Microsoft.OpenApi's reader without errors, every
/// parameter, body, answer and security requirement where it belongs, taken from the generated
/// schema metadata; and the API reference page built from it.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private OpenApiDocument _document = null!;

    [Fact]
    public void The_document_is_OpenAPI_3_1_and_lists_only_the_API()
    {
        Assert.Equal(
            ["/connect-link", "/healthz", "/integrated-account", "/integrated-account/{id}", "/readyz", "/unified/crm/contacts/batch-delete", "/unified/crm/contacts/batch-delete/jobs/{job_id}", "/unified/crm/contacts/meta/{method}", "/unified/crm/contacts/{id}", "/unified/crm/contacts/{integration}/meta/{method}"],
            _document.Paths.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_operation_but_the_health_check_requires_the_bearer_token_and_describes_its_401()
    {
        var scheme = Assert.Single(_document.Components!.SecuritySchemes!);
        Assert.Equal("bearer", scheme.Key);
        Assert.Equal(SecuritySchemeType.Http, scheme.Value.Type);
        Assert.Equal("bearer", scheme.Value.Scheme);
        foreach (var (path, operation) in Operations())
        {
            if (path is "/healthz" or "/readyz")
            {
                Assert.True(operation.Security is null or { Count: 0 });
                Assert.DoesNotContain("401", operation.Responses!.Keys);
                continue;
            }
            var requirement = Assert.Single(operation.Security!);
            Assert.Equal("bearer", Assert.Single(requirement.Keys).Reference.Id);
            Assert.Equal(ErrorEnvelope, SchemaId(operation.Responses!["401"]));
        }
    }

    [Theory]
    [InlineData("/unified/crm/contacts/{id}", "DELETE", "unified")]
    [InlineData("/unified/crm/contacts/batch-delete", "POST", "unified")]
    [InlineData("/integrated-account", "POST", "accounts:write")]
    [InlineData("/connect-link", "POST", "accounts:write")]
    [InlineData("/integrated-account", "GET", "accounts:read")]
    [InlineData("/integrated-account/{id}", "GET", "accounts:read")]
    [InlineData("/integrated-account/{id}", "DELETE", "accounts:write")]
    [InlineData("/integrated-account/{id}", "PATCH", "accounts:write")]
    [InlineData("/unified/crm/contacts/{integration}/meta/{method}", "GET", null)]
    [InlineData("/unified/crm/contacts/meta/{method}", "GET", null)]
    public void Each_operation_names_the_scope_it_needs_and_its_403(string path, string method, string? scope)
    {
        var operation = _document.Paths[path].Operations![new HttpMethod(method)];

        var requirement = Assert.Single(operation.Security!);
        Assert.Equal(scope is null ? [] : [scope], Assert.Single(requirement.Values));
        if (scope is null)
        {
            Assert.DoesNotContain("403", operation.Responses!.Keys);
            return;
        }
        Assert.Contains($"lacks the scope '{scope}'", operation.Responses!["403"].Description, StringComparison.Ordinal);
        Assert.Contains($"`{scope}`", operation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_parameter_and_answer_has_a_description_and_every_error_is_the_envelope()
    {
        foreach (var (path, operation) in Operations())
        {
            Assert.False(string.IsNullOrEmpty(operation.Summary), path);
            Assert.All(operation.Parameters ?? [], p => Assert.False(string.IsNullOrEmpty(p.Description), $"{path} {p.Name}"));
            foreach (var (status, response) in operation.Responses!)
            {
                Assert.False(string.IsNullOrEmpty(response.Description), $"{path} {status}");
                Assert.NotNull(response.Content?["application/json"].Schema);
                // A probe answers one shape whether ready or not ({"status", "failed"}), not the envelope.
                if (status[0] is '4' or '5' && path != "/readyz")
                {
                    Assert.Equal(ErrorEnvelope, SchemaId(response));
                }
            }
        }
    }

    [Fact]
    public void Delete_has_the_path_id_every_Truto_query_parameter_from_the_schema_and_answers_the_contact()
    {
        var delete = _document.Paths["/unified/crm/contacts/{id}"].Operations![HttpMethod.Delete];

        Assert.Equal("ContactsDelete", delete.OperationId);
        var truto = ContactsSchema.Resource.TrutoQuery;
        Assert.Equal(["id", .. truto.Select(p => p.Name)], delete.Parameters!.Select(p => p.Name));
        Assert.Equal(ParameterLocation.Path, delete.Parameters![0].In);
        Assert.True(delete.Parameters[0].Required);
        foreach (var expected in truto)
        {
            var parameter = delete.Parameters.Single(p => p.Name == expected.Name);
            Assert.Equal(ParameterLocation.Query, parameter.In);
            Assert.Equal(expected.Description, parameter.Description);
            Assert.Equal(expected.Required, parameter.Required);
            Assert.Equal(expected.Values, parameter.Schema!.Enum?.Select(v => (string)v!) ?? []);
        }
        Assert.Equal("uuid", delete.Parameters.Single(p => p.Name == "integrated_account_id").Schema!.Format);
        Assert.Equal(ParameterStyle.DeepObject, delete.Parameters.Single(p => p.Name == "remote_query").Style);
        Assert.Equal(JsonSchemaType.Array, delete.Parameters.Single(p => p.Name == "truto_exclude_fields").Schema!.Type);
        Assert.Null(delete.RequestBody);
        Assert.Equal(["200", "400", "401", "403", "404", "429", "502", "504"], delete.Responses!.Keys);
        Assert.Equal("Contact", SchemaId(delete.Responses["200"]));
        Assert.Contains("ratelimit-remaining", delete.Responses["200"].Headers!.Keys);
        Assert.Contains("Retry-After", delete.Responses["429"].Headers!.Keys);
    }

    [Fact]
    public void Batch_delete_describes_respond_async_and_the_job_endpoints()
    {
        var batch = _document.Paths["/unified/crm/contacts/batch-delete"].Operations![HttpMethod.Post];
        var jobs = _document.Paths["/unified/crm/contacts/batch-delete/jobs/{job_id}"].Operations!;

        var prefer = batch.Parameters!.Single(p => p.Name == "Prefer");
        Assert.Equal(ParameterLocation.Header, prefer.In);
        Assert.Contains("respond-async", prefer.Description, StringComparison.Ordinal);
        Assert.Equal("BatchDeleteJob", SchemaId(batch.Responses!["202"]));
        Assert.Equal(["Location", "Preference-Applied"], batch.Responses["202"].Headers!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([HttpMethod.Delete, HttpMethod.Get], jobs.Keys.OrderBy(m => m.Method, StringComparer.Ordinal));
        Assert.Equal(["200", "401", "403", "404"], jobs[HttpMethod.Get].Responses!.Keys);
        Assert.Equal(["200", "401", "403", "404", "409"], jobs[HttpMethod.Delete].Responses!.Keys);
        Assert.Equal("BatchDeleteJob", SchemaId(jobs[HttpMethod.Get].Responses!["200"]));
        Assert.Equal(["job_id"], jobs[HttpMethod.Get].Parameters!.Select(p => p.Name));
        var job = _document.Components!.Schemas!["BatchDeleteJob"];
        Assert.Equal(["queued", "running", "succeeded", "partially_failed", "failed", "cancelled"], job.Properties!["status"].Enum!.Select(v => (string)v!));
        Assert.Equal(["total", "deleted", "failed", "cancelled", "pending"], job.Properties["counts"].Properties!.Keys);
    }

    [Fact]
    public void Batch_delete_has_the_query_ids_the_idempotency_header_and_the_body_and_answers_result_and_errors()
    {
        var batch = _document.Paths["/unified/crm/contacts/batch-delete"].Operations![HttpMethod.Post];

        Assert.Equal([.. ContactsSchema.Resource.TrutoQuery.Select(p => p.Name), "id", "Prefer", "Idempotency-Key"], batch.Parameters!.Select(p => p.Name));
        Assert.Equal(ParameterLocation.Header, batch.Parameters!.Single(p => p.Name == "Idempotency-Key").In);
        Assert.Equal(JsonSchemaType.Array, batch.Parameters!.Single(p => p.Name == "id").Schema!.Type);
        Assert.Equal("BatchDeleteRequest", Assert.IsType<OpenApiSchemaReference>(batch.RequestBody!.Content!["application/json"].Schema).Reference.Id);
        Assert.Equal(["200", "202", "400", "401", "403", "404", "409", "413", "429", "502", "504"], batch.Responses!.Keys);
        Assert.Equal("BatchDeleteResult", SchemaId(batch.Responses["200"]));

        var body = _document.Components!.Schemas!["BatchDeleteRequest"];
        // The schema's body, and callback_url, which only a job (Prefer: respond-async) reads.
        Assert.Equal([.. ContactsSchema.Resource.FindMethod("batch_delete")!.Body.Select(p => p.Name), "callback_url"], body.Properties!.Keys);
        var result = _document.Components.Schemas["BatchDeleteResult"];
        Assert.Equal("Contact", Assert.IsType<OpenApiSchemaReference>(result.Properties!["result"].Items).Reference.Id);
        Assert.Equal("BatchItemError", Assert.IsType<OpenApiSchemaReference>(result.Properties["errors"].Items).Reference.Id);
    }

    [Fact]
    public void The_contact_and_the_error_envelope_are_components_built_from_the_metadata()
    {
        var contact = _document.Components!.Schemas!["Contact"];
        Assert.Equal(ContactsSchema.Resource.Fields.Select(f => f.Name), contact.Properties!.Keys);
        Assert.Equal(ContactsSchema.Resource.Fields.Where(f => f.Required).Select(f => f.Name), contact.Required!.Order(StringComparer.Ordinal));
        Assert.All(ContactsSchema.Resource.Fields, f => Assert.Equal(f.Description, contact.Properties[f.Name].Description));
        Assert.Equal("date-time", contact.Properties["created_at"].Format);
        Assert.Equal(JsonSchemaType.Array, contact.Properties["email_addresses"].Type);
        Assert.Contains("email", contact.Properties["email_addresses"].Items!.Properties!.Keys);

        var envelope = _document.Components.Schemas[ErrorEnvelope];
        Assert.Equal(["error", "message", "statusCode"], envelope.Required!.Order(StringComparer.Ordinal));
        Assert.Equal(JsonSchemaType.Integer, envelope.Properties!["statusCode"].Type);
        Assert.Contains("truto_is_remote_error", envelope.Properties.Keys);
    }

    [Fact]
    public void Account_endpoints_describe_their_bodies_and_answers()
    {
        var create = _document.Paths["/integrated-account"].Operations![HttpMethod.Post];
        var list = _document.Paths["/integrated-account"].Operations![HttpMethod.Get];
        var read = _document.Paths["/integrated-account/{id}"].Operations![HttpMethod.Get];
        var delete = _document.Paths["/integrated-account/{id}"].Operations![HttpMethod.Delete];

        Assert.Equal("CreateIntegratedAccount", Assert.IsType<OpenApiSchemaReference>(create.RequestBody!.Content!["application/json"].Schema).Reference.Id);
        Assert.True(create.RequestBody.Required);
        Assert.Equal("IntegratedAccount", SchemaId(create.Responses!["201"]));
        Assert.Contains("400", create.Responses.Keys);
        Assert.Equal("IntegratedAccountList", SchemaId(list.Responses!["200"]));
        Assert.Equal("IntegratedAccount", SchemaId(read.Responses!["200"]));
        Assert.Equal("IntegratedAccount", SchemaId(delete.Responses!["200"]));
        Assert.Contains("404", delete.Responses.Keys);
        Assert.Equal("id", Assert.Single(read.Parameters!).Name);
        var update = _document.Paths["/integrated-account/{id}"].Operations![HttpMethod.Patch];
        Assert.Equal("UpdateIntegratedAccount", Assert.IsType<OpenApiSchemaReference>(update.RequestBody!.Content!["application/json"].Schema).Reference.Id);
        Assert.Equal("IntegratedAccount", SchemaId(update.Responses!["200"]));
        Assert.Equal(["200", "400", "401", "403", "404", "413"], update.Responses.Keys);
        Assert.Contains("RFC 7396", update.Description, StringComparison.Ordinal);
        Assert.Equal(["context", "tenant_id"], _document.Components!.Schemas!["UpdateIntegratedAccount"].Properties!.Keys);
        var integrations = _document.Components!.Schemas!["CreateIntegratedAccount"].Properties!["integration"].Enum!.Select(v => (string)v!);
        Assert.Contains("hubspot", integrations);
        Assert.Contains("close", integrations);
    }

    [Fact]
    public async Task The_API_reference_page_is_public_and_loads_the_served_document()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Url };

        using var page = await anonymous.GetAsync(new Uri(ServerApp.ApiReferencePath, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        using var script = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        // The page's script resolves the source against the app's base: its own path less the page prefix, here the root.
        var document = await anonymous.GetFromJsonAsync<JsonObject>(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("initialize(\n        '%2Fdocs%2Fapi%2F'", html.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"sources\":[{\"title\":\"v1\",\"url\":\"openapi/v1.json\"}]", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000);
        Assert.Equal("3.1.1", (string?)document!["openapi"]);
    }

    private const string ErrorEnvelope = "TrutoError";

    private IEnumerable<(string Path, OpenApiOperation Operation)> Operations()
        => _document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (p.Key, o.Value)));

    private static string? SchemaId(IOpenApiResponse response)
        => (response.Content?["application/json"].Schema as OpenApiSchemaReference)?.Reference.Id;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        var json = await _server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var read = OpenApiDocument.Parse(json, "json");
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        _document = read.Document!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
