extern alias runtime;

using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using AccountContext = runtime::Truto.Mappings.Accounts.AccountContext;
using MissingContextKeyException = runtime::Truto.Mappings.Accounts.MissingContextKeyException;
using NonNumericContextValueException = runtime::Truto.Mappings.Accounts.NonNumericContextValueException;
using ProviderAdapter = runtime::Truto.Mappings.Adapters.ProviderAdapter;
using ProviderOperation = runtime::Truto.Mappings.Adapters.ProviderOperation;
using ProviderRequest = runtime::Truto.Mappings.Adapters.ProviderRequest;
using RequestValues = runtime::Truto.Mappings.Adapters.RequestValues;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// Typed numbers (<c>| number</c>) and fallbacks between context keys (<c>??</c>) in templates: the
/// compiled adapter writes JSON numbers (Freshsales' <c>{"selected_ids": [102, 103]}</c>), says
/// which ids must be numbers, takes the first context key present, and tells the runtime which keys
/// an account needs one of; mistakes are diagnostics at their line and column.
/// </summary>
public sealed class TypedValueTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/numbers.yaml";

    private const string Provider = """
        name: numbers
        display_name: Numbers
        base_url: https://api.example.com
        hosts: [api.example.com]
        context:
          oauth.token.access_token: {label: Access token, secret: true}
          api_key: {label: API key, secret: true}
          pipeline_id: {label: Pipeline, type: number}
          owner_id: {label: Owner}
          region: {label: Region}
        auth:
          type: bearer
          token: "{{context.oauth.token.access_token ?? context.api_key}}"
        headers:
          X-Region: "{{context.region ?? 'us'}}"
        contacts:
          delete:
            method: POST
            path: /contacts/delete
            body:
              id: "{{id | number}}"
              pipeline_id: "{{context.pipeline_id | number}}"
              owner_id: "{{context.owner_id ?? '1' | number}}"
              label: "contact {{id}}"
          batch_delete:
            strategy: native
            max_ids: 100
            method: POST
            path: /contacts/bulk_destroy
            body:
              selected_ids: "{{ids | number}}"
              each: {$each_id: {id: "{{id | number}}"}}

        """;

    [Fact]
    public void Ids_and_context_values_marked_number_are_written_as_JSON_numbers()
    {
        var adapter = Load(Provider);

        Assert.Equal("""{"id":102,"pipeline_id":7,"owner_id":1,"label":"contact 102"}""", Body(Operation(adapter, "delete"), "102", ["102"], """{"pipeline_id": 7}"""));
        Assert.Equal("""{"id":102,"pipeline_id":7,"owner_id":42,"label":"contact 102"}""", Body(Operation(adapter, "delete"), "102", ["102"], """{"pipeline_id": 7, "owner_id": "42"}"""));
        Assert.Equal("""{"selected_ids":[102,103],"each":[{"id":102},{"id":103}]}""", Body(Operation(adapter, "batch_delete"), "102", ["102", "103"], """{"pipeline_id": 7}"""));
    }

    [Fact]
    public void A_context_value_marked_number_that_is_none_is_refused_naming_its_key()
    {
        var adapter = Load(Provider);

        var refused = Assert.Throws<NonNumericContextValueException>(() => Body(Operation(adapter, "delete"), "102", ["102"], """{"pipeline_id": 7, "owner_id": "abc"}"""));

        Assert.Equal("owner_id", refused.Key);
    }

    [Fact]
    public void Operations_whose_body_writes_ids_as_numbers_say_so_and_others_do_not()
    {
        var adapter = Load(Provider);
        var plain = Load(GeneratorHarness.MinimalProvider("numbers", "Numbers"));

        Assert.True(Operation(adapter, "delete").Info.NumericIds);
        Assert.True(Operation(adapter, "batch_delete").Info.NumericIds);
        Assert.False(Operation(plain, "delete").Info.NumericIds);
    }

    [Fact]
    public void A_fallback_chain_takes_the_first_key_present_and_the_account_needs_one_of_its_keys()
    {
        var adapter = Load(Provider);

        Assert.Equal("Bearer tok", Authorization(adapter, """{"oauth": {"token": {"access_token": "tok"}}, "api_key": "key"}"""));
        Assert.Equal("Bearer key", Authorization(adapter, """{"api_key": "key"}"""));
        Assert.Equal("Bearer key", Authorization(adapter, """{"oauth": {"token": {"access_token": ""}}, "api_key": "key"}"""));
        var missing = Assert.Throws<MissingContextKeyException>(() => Authorization(adapter, "{}"));
        Assert.Equal(["oauth.token.access_token", "api_key"], missing.Keys);

        Assert.Equal([["oauth.token.access_token", "api_key"]], adapter.Info.RequiredContextChoices);
        Assert.Equal(["pipeline_id"], adapter.Info.ContextKeys);
        Assert.Equal(["pipeline_id"], adapter.Info.Context.Where(k => k.Required).Select(k => k.Name));
    }

    [Fact]
    public void A_chain_ending_in_a_default_needs_no_key()
    {
        var adapter = Load(Provider);
        var request = new ProviderRequest();

        adapter.AddHeaders(request, Context("{}"));
        adapter.AddHeaders(request, Context("""{"region": "eu"}"""));

        Assert.Equal([new("X-Region", "us"), new("X-Region", "eu")], request.Headers);
        Assert.DoesNotContain(adapter.Info.RequiredContextChoices, c => c.Contains("region"));
    }

    [Fact]
    public void A_key_read_alone_elsewhere_stays_required_and_its_chain_adds_no_choice()
    {
        var adapter = Load(Provider.Replace("    path: /contacts/delete", "    path: /contacts/delete/{{context.api_key}}", StringComparison.Ordinal));

        Assert.Empty(adapter.Info.RequiredContextChoices);
        Assert.Contains("api_key", adapter.Info.ContextKeys);
    }

    [Fact]
    public void Auth_alternatives_chosen_by_present_keys_work_with_fallbacks_inside_them()
    {
        var adapter = Load("""
            name: numbers
            display_name: Numbers
            base_url: https://api.example.com
            hosts: [api.example.com]
            context:
              oauth.token.access_token: {label: Access token, secret: true}
              api_key: {label: API key, secret: true}
              legacy_key: {label: Legacy key, secret: true}
            auth:
              - when: oauth.token.access_token
                type: bearer
                token: "{{context.oauth.token.access_token}}"
              - type: headers
                headers:
                  x-api-key: "{{context.api_key ?? context.legacy_key}}"
            contacts:
              delete:
                method: DELETE
                path: /contacts/{{id}}

            """);

        Assert.Equal(("Authorization", "Bearer tok"), Auth(adapter, """{"oauth": {"token": {"access_token": "tok"}}}"""));
        Assert.Equal(("x-api-key", "new"), Auth(adapter, """{"api_key": "new", "legacy_key": "old"}"""));
        Assert.Equal(("x-api-key", "old"), Auth(adapter, """{"legacy_key": "old"}"""));
        Assert.Equal(["api_key", "legacy_key"], Assert.Throws<MissingContextKeyException>(() => Auth(adapter, "{}")).Keys);
        // As for every key auth reads when auth has alternatives: which keys an account needs depends on the one it selects.
        Assert.Empty(adapter.Info.RequiredContextChoices);
    }

    [Fact]
    public void Every_undeclared_key_of_a_chain_is_TM0019_at_its_own_name()
    {
        var text = Provider.Replace("\"{{context.oauth.token.access_token ?? context.api_key}}\"", "\"{{context.acess_token ?? context.api_kye}}\"", StringComparison.Ordinal);

        var diagnostics = ProviderDiagnostics.Run(ProviderPath, text).OrderBy(d => d.Location.SourceSpan.Start).ToList();

        Assert.Equal(2, diagnostics.Count);
        AssertAt(diagnostics[0], "TM0019", ProviderDiagnostics.Position(text, "{{context.acess_token", 0),
            "auth.token reads context key 'acess_token', which the context section does not declare; declare it under context: with a label (and secret: true for a credential)");
        AssertAt(diagnostics[1], "TM0019", ProviderDiagnostics.Position(text, "context.api_kye", 0),
            "auth.token reads context key 'api_kye', which the context section does not declare (did you mean 'api_key'?); declare it under context: with a label (and secret: true for a credential)");
    }

    [Theory]
    [InlineData("    path: /contacts/delete", "    path: /contacts/{{id | number}}", 18, "'/contacts/{{id | number}}' in contacts.delete.path writes '| number', but this value is text (paths, queries, headers, auth and response templates are), and a number only matters as a whole value of a JSON body; remove '| number'")]
    [InlineData("    path: /contacts/delete", "    path: /contacts/delete\n    query: {pipeline: \"{{context.pipeline_id | number}}\"}", 18, "'{{context.pipeline_id | number}}' in contacts.delete.query.pipeline writes '| number', but this value is text (paths, queries, headers, auth and response templates are), and a number only matters as a whole value of a JSON body; remove '| number'")]
    [InlineData("      label: \"contact {{id}}\"", "      label: \"contact {{id | number}}\"", 23, "'contact {{id | number}}' in contacts.delete.body.label writes '| number', but the placeholder is part of a text, and a text is a JSON string; make the whole value the placeholder (\"{{id | number}}\") or remove '| number'")]
    public void A_number_anywhere_but_a_whole_body_value_is_TM0028_at_the_filter(string line, string replacement, int fromLine, string message)
    {
        var text = Provider.Replace(line, replacement, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0028", ProviderDiagnostics.Position(text, "number}}", fromLine), message);
    }

    [Fact]
    public void A_number_in_a_response_template_is_TM0028()
    {
        var text = GeneratorHarness.MinimalProvider("numbers", "Numbers").Replace("      id: \"{{id}}\"", "      id: \"{{id | number}}\"", StringComparison.Ordinal);

        Assert.Equal("TM0028", Single(text).Id);
    }

    [Fact]
    public void A_default_that_cannot_be_a_number_is_TM0029_at_the_default()
    {
        var text = Provider.Replace("'1' | number", "'007' | number", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0029", ProviderDiagnostics.Position(text, "'007'", 0),
            "'{{context.owner_id ?? '007' | number}}' in contacts.delete.body.owner_id: the default '007' cannot be a JSON number; expected a number as JSON writes it (0, -12, 1.5, 2e10; not 007, +1, .5 or 1,000)");
    }

    [Fact]
    public void A_boolean_context_key_written_as_a_number_is_TM0029_at_the_key()
    {
        var text = Provider.Replace("pipeline_id: {label: Pipeline, type: number}", "pipeline_id: {label: Pipeline, type: boolean}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0029", ProviderDiagnostics.Position(text, "{{context.pipeline_id | number}}", 0),
            "'pipeline_id' in contacts.delete.body.pipeline_id: its declared type, boolean, cannot be a JSON number; expected a key of type number (or string holding a number), or no '| number'");
    }

    [Fact]
    public void A_fallback_in_base_url_is_TM0007()
    {
        var text = Provider
            .Replace("base_url: https://api.example.com", "base_url: \"https://{{context.region ?? 'us'}}.example.com\"", StringComparison.Ordinal)
            .Replace("hosts: [api.example.com]", "hosts: [\"*.example.com\"]", StringComparison.Ordinal)
            .Replace("region: {label: Region}", "region: {label: Region, shape: dns_label}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0007", ProviderDiagnostics.Position(text, "{{context.region", 0),
            "Invalid template 'https://{{context.region ?? 'us'}}.example.com' in base_url: '??' is not available in a URL, whose keys are checked against hosts and their shapes one by one; give an auth alternative its own base_url instead");
    }

    private static string Body(ProviderOperation operation, string id, IReadOnlyList<string> ids, string context)
    {
        var request = new ProviderRequest();
        operation.BuildRequest(request, new RequestValues(id, ids, Context(context)));
        return Encoding.UTF8.GetString(request.Body!.Value.Span);
    }

    private static string Authorization(ProviderAdapter adapter, string context)
    {
        var (name, value) = Auth(adapter, context);
        Assert.Equal("Authorization", name);
        return value;
    }

    private static (string Name, string Value) Auth(ProviderAdapter adapter, string context)
    {
        var request = new ProviderRequest();
        adapter.Authenticate(request, Context(context));
        var header = Assert.Single(request.SecretHeaders);
        return (header.Key, header.Value);
    }

    private static ProviderOperation Operation(ProviderAdapter adapter, string method)
    {
        var nested = method == "delete" ? "Delete" : "BatchDelete";
        var type = adapter.GetType().Assembly.GetType(adapter.GetType().FullName + "+Contacts+" + nested, throwOnError: true)!;
        return (ProviderOperation)type.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    private static AccountContext Context(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, (int Line, int Column) at, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, at, message);

    private static ProviderAdapter Load(string provider)
        => (ProviderAdapter)GeneratorHarness.CompileAdapter(ProviderPath, provider, "NumbersAdapter");
}
