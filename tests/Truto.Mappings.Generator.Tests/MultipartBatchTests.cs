extern alias runtime;

using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using AccountContext = runtime::Truto.Mappings.Accounts.AccountContext;
using BatchOperation = runtime::Truto.Mappings.Adapters.BatchOperation;
using ProviderRequest = runtime::Truto.Mappings.Adapters.ProviderRequest;
using RequestValues = runtime::Truto.Mappings.Adapters.RequestValues;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// A native batch whose body is <c>multipart/mixed</c> (Dataverse's <c>$batch</c>):
/// <c>content_type: multipart/mixed</c> and <c>parts: {$each_id: {method, path, headers}}</c>. The
/// compiled operation adds one part per id with its path percent-encoded and answers in parts;
/// mistakes are diagnostics at their line and column.
/// </summary>
public sealed class MultipartBatchTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/batchy.yaml";

    private const string Provider = """
        name: batchy
        display_name: Batchy
        base_url: https://api.example.com/v1
        hosts: [api.example.com]
        context:
          token: {label: Token, secret: true}
          caller: {label: Caller}
        auth:
          type: bearer
          token: "{{context.token}}"
        contacts:
          delete:
            method: DELETE
            path: /contacts({{id}})
          batch_delete:
            strategy: native
            method: POST
            path: /$batch
            max_ids: 100
            headers:
              Prefer: odata.continue-on-error
            content_type: multipart/mixed
            parts:
              $each_id:
                method: DELETE
                path: /contacts({{id}})
                headers:
                  MSCRMCallerID: "{{context.caller}}"

        """;

    [Fact]
    public void The_compiled_batch_adds_one_part_per_id_with_the_id_encoded_as_in_a_path()
    {
        var batch = BatchDelete(Load(Provider));
        var request = new ProviderRequest();

        batch.BuildRequest(request, new RequestValues("a b", ["a b", "c/d"], Context("""{"token": "t", "caller": "u-1"}""")));

        Assert.True(batch.AnswersInParts);
        Assert.Equal("/$batch", request.Path);
        Assert.Null(request.Body);
        Assert.Equal([("DELETE", "/contacts(a%20b)"), ("DELETE", "/contacts(c%2Fd)")], request.Parts.Select(p => (p.Method, p.Path)));
        Assert.All(request.Parts, p => Assert.Equal([new("MSCRMCallerID", "u-1")], p.Headers));
        Assert.Equal([new("Prefer", "odata.continue-on-error")], request.Headers);
    }

    [Fact]
    public void A_batch_with_a_json_body_does_not_answer_in_parts()
    {
        var text = Provider[..Provider.IndexOf("    content_type:", StringComparison.Ordinal)] + "    body: {ids: \"{{ids}}\"}\n";

        Assert.False(BatchDelete(Load(text)).AnswersInParts);
    }

    [Fact]
    public void Ids_inside_a_part_are_TM0007_at_the_placeholder()
    {
        var text = Provider.Replace("        path: /contacts({{id}})\n        headers:", "        path: /contacts({{ids}})\n        headers:", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0007", ProviderDiagnostics.Position(text, "{{ids}}", 0),
            "Invalid template '/contacts({{ids}})' in contacts.batch_delete.parts.$each_id.path: '{{ids}}' is not available here; available: {{id}}, {{context.<key>}}");
    }

    [Fact]
    public void A_part_without_the_id_is_TM0010_at_its_path()
    {
        var text = Provider.Replace("        path: /contacts({{id}})\n        headers:", "        path: /contacts\n        headers:", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0010", ProviderDiagnostics.Position(text, "/contacts", 24),
            "contacts.batch_delete.parts.$each_id never sends the contact id: reference {{id}} in the path, query or body");
    }

    [Fact]
    public void Multipart_keys_on_a_single_id_method_are_TM0011_at_the_value()
    {
        var text = Provider.Replace("    path: /contacts({{id}})\n  batch_delete:", "    path: /contacts({{id}})\n    content_type: multipart/mixed\n  batch_delete:", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0011", ProviderDiagnostics.Position(text, "multipart/mixed", 0),
            "'contacts.delete.content_type' is 'set'; expected nothing: a multipart/mixed body (content_type, parts) is one part per id, so only a native batch method takes it");
    }

    [Fact]
    public void Multipart_keys_on_a_fan_out_are_TM0011_at_the_value()
    {
        var text = Provider[..Provider.IndexOf("    strategy: native", StringComparison.Ordinal)] + "    strategy: fan_out\n    parts: {$each_id: {method: DELETE, path: \"/c({{id}})\"}}\n";

        AssertAt(Single(text), "TM0011", ProviderDiagnostics.Position(text, "{$each_id", 0),
            "'contacts.batch_delete.parts' is 'set'; expected nothing: with strategy fan_out each id is deleted by contacts.delete, which describes the request and response");
    }

    [Fact]
    public void Parts_without_the_multipart_content_type_are_TM0011_at_the_parts()
    {
        var text = Provider.Replace("    content_type: multipart/mixed\n", "", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0011", ProviderDiagnostics.Position(text, "$each_id", 0),
            "'contacts.batch_delete.parts' is 'set'; expected content_type: multipart/mixed beside it: parts are the requests of a multipart/mixed body");
    }

    [Fact]
    public void The_multipart_content_type_without_parts_is_TM0003_at_the_batch()
    {
        var text = Provider[..Provider.IndexOf("    parts:", StringComparison.Ordinal)];

        AssertAt(Single(text), "TM0003", ProviderDiagnostics.Position(text, "strategy: native", 0), "Missing required key 'parts' in contacts.batch_delete");
    }

    [Theory]
    [InlineData("    body: {ids: \"{{ids}}\"}\n", "{ids", "'contacts.batch_delete.body' is 'set'; expected nothing: with content_type multipart/mixed the body is written from parts, one per id")]
    [InlineData("    items: {match: position}\n", "{match", "'contacts.batch_delete.items' is 'set'; expected nothing: the items of a multipart/mixed answer are its parts (paired with ids by Content-ID, else by position; a 2xx part is a deleted id; a failing part's message and code are read with errors.message and errors.code)")]
    public void A_json_body_or_items_beside_parts_is_TM0011_at_the_value(string line, string at, string message)
    {
        var text = Provider.Replace("    content_type: multipart/mixed\n", "    content_type: multipart/mixed\n" + line, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0011", ProviderDiagnostics.Position(text, at, 0), message);
    }

    [Fact]
    public void Parts_that_are_not_one_each_id_mapping_are_TM0008()
    {
        var text = Provider.Replace("      $each_id:\n", "      each:\n", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0008", ProviderDiagnostics.Position(text, "each:", 0),
            "'contacts.batch_delete.parts' must be a mapping with the one key $each_id, whose value is the request each id becomes (method, path, headers), but found a mapping");
    }

    [Fact]
    public void An_unknown_content_type_is_TM0011()
    {
        var text = Provider.Replace("content_type: multipart/mixed", "content_type: multipart/form-data", StringComparison.Ordinal);

        var diagnostics = ProviderDiagnostics.Run(ProviderPath, text);

        // The content type, and the parts that then have no multipart body to be in.
        Assert.Equal(["TM0011", "TM0011"], diagnostics.Select(d => d.Id));
        AssertAt(diagnostics[0], "TM0011", ProviderDiagnostics.Position(text, "multipart/form-data", 0),
            "'contacts.batch_delete.content_type' is 'multipart/form-data'; expected one of: application/json, multipart/mixed");
    }

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, (int Line, int Column) at, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, at, message);

    private static AccountContext Context(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static BatchOperation BatchDelete(object adapter)
    {
        var type = adapter.GetType().Assembly.GetType(adapter.GetType().FullName + "+Contacts+BatchDelete", throwOnError: true)!;
        return (BatchOperation)type.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    private static object Load(string provider)
        => GeneratorHarness.CompileAdapter(ProviderPath, provider, "BatchyAdapter");
}
