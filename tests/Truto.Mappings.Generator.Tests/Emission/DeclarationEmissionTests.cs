extern alias runtime;

using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using ContextShapeKind = runtime::Truto.Mappings.Accounts.ContextShapeKind;
using ContextValueType = runtime::Truto.Mappings.Accounts.ContextValueType;
using OperationInfo = runtime::Truto.Mappings.Adapters.OperationInfo;
using ProviderAdapter = runtime::Truto.Mappings.Adapters.ProviderAdapter;
using ProviderInfo = runtime::Truto.Mappings.Adapters.ProviderInfo;

namespace Truto.Mappings.Generator.Tests.Emission;

/// <summary>
/// What a YAML declares about trust reaches the compiled adapter: <c>ProviderInfo.Context</c> and
/// <c>Hosts</c>, and per operation the anchored <c>IdPattern</c>, the <c>IdSeparator</c> of joined
/// ids and <c>Idempotent</c>.
/// </summary>
public sealed class DeclarationEmissionTests
{
    private const string Provider = """
        name: declared
        display_name: Declared
        base_url: "https://{{context.region}}.api.example.com/spaces/{{context.space}}"
        hosts: ["*.api.example.com", api.example.com]
        context:
          region: {label: Region, help: Where the account lives., shape: {one_of: [eu, us]}}
          space: {label: Space, shape: path_segment}
          api_key: {label: API key, secret: true}
          seats: {label: Seats, type: number}
          refresh_token: {label: Refresh token, secret: true, type: string}
        auth:
          type: bearer
          token: "{{context.api_key}}"
        contacts:
          id_pattern: '[0-9]+'
          delete:
            method: DELETE
            path: /contacts/{{id}}
            idempotent: true
            response:
              id: "{{id}}"
          batch_delete:
            strategy: native
            max_ids: 10
            method: DELETE
            path: /contacts
            query:
              ids: "{{ids | join(';')}}"

        """;

    [Fact]
    public void Declared_context_keys_become_ProviderInfo_Context_in_file_order_with_required_for_the_keys_templates_read()
    {
        var info = Load(Provider);

        Assert.Equal(["region", "space", "api_key", "seats", "refresh_token"], info.Context.Select(k => k.Name));
        var region = info.Context[0];
        Assert.Equal((ContextValueType.Text, false, "Region", "Where the account lives.", true), (region.Type, region.Secret, region.Label, region.Help, region.Required));
        Assert.Equal(ContextShapeKind.OneOf, region.Shape!.Kind);
        Assert.Equal(["eu", "us"], region.Shape.Values);
        Assert.Equal(ContextShapeKind.PathSegment, info.Context[1].Shape!.Kind);
        Assert.Empty(info.Context[1].Shape!.Values);
        var apiKey = info.Context[2];
        Assert.Equal((true, true, (string?)null), (apiKey.Secret, apiKey.Required, apiKey.Help));
        Assert.Null(apiKey.Shape);
        Assert.Equal((ContextValueType.Number, false), (info.Context[3].Type, info.Context[3].Required));
        Assert.Equal((true, false), (info.Context[4].Secret, info.Context[4].Required));
        // ContextKeys, the keys templates read, stays as it was.
        Assert.Equal(["api_key", "region", "space"], info.ContextKeys);
    }

    [Fact]
    public void Hosts_are_emitted_as_declared()
        => Assert.Equal(["*.api.example.com", "api.example.com"], Load(Provider).Hosts);

    [Fact]
    public void Every_operation_of_the_resource_gets_the_anchored_id_pattern_with_a_match_timeout()
    {
        var info = Load(Provider);

        Assert.All(info.Operations, operation =>
        {
            var pattern = operation.IdPattern!;
            Assert.Matches(pattern, "51");
            // $ would match before a final line feed.
            Assert.DoesNotMatch(pattern, "51\n");
            Assert.DoesNotMatch(pattern, "a51");
            Assert.DoesNotMatch(pattern, "51,52");
            Assert.DoesNotMatch(pattern, "");
            Assert.Equal(RegexOptions.CultureInvariant, pattern.Options);
            Assert.Equal(TimeSpan.FromSeconds(1), pattern.MatchTimeout);
        });
    }

    [Fact]
    public void Joined_ids_carry_their_separator_and_idempotent_is_per_operation()
    {
        var info = Load(Provider);

        var delete = Find(info, "delete");
        var batch = Find(info, "batch_delete");
        Assert.Equal(((string?)null, true), (delete.IdSeparator, delete.Idempotent));
        Assert.Equal((";", false), (batch.IdSeparator, batch.Idempotent));
    }

    [Fact]
    public void Ids_sent_as_a_JSON_array_have_no_separator()
    {
        var info = Load(Provider.Replace("    query:\n      ids: \"{{ids | join(';')}}\"", "    body: \"{{ids}}\"\n    idempotent: true", StringComparison.Ordinal));

        var batch = Find(info, "batch_delete");
        Assert.Equal(((string?)null, true), (batch.IdSeparator, batch.Idempotent));
    }

    [Fact]
    public void A_fan_out_takes_the_pattern_and_the_idempotency_of_its_single_id_method()
    {
        var fanOut = Provider.Split("  batch_delete:")[0] + "  batch_delete:\n    strategy: fan_out\n";

        var batch = Find(Load(fanOut), "batch_delete");

        Assert.Equal(((string?)null, true), (batch.IdSeparator, batch.Idempotent));
        Assert.Matches(batch.IdPattern!, "7");
    }

    [Fact]
    public void Without_id_pattern_or_idempotent_the_operation_has_no_pattern_and_is_not_idempotent()
    {
        var info = Load(GeneratorHarness.MinimalProvider("declared", "Declared"));

        var delete = Find(info, "delete");
        Assert.Null(delete.IdPattern);
        Assert.False(delete.Idempotent);
        Assert.Equal(["api.example.com"], info.Hosts);
    }

    private static OperationInfo Find(ProviderInfo info, string method) => info.Operations.Single(o => o.Method == method);

    private static ProviderInfo Load(string provider)
    {
        var file = new YamlFile(GeneratorHarness.Root + "providers/declared.yaml", provider);
        GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), file])
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.EmptyCompilation(), out var compilation, out var diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        var assembly = new AssemblyLoadContext("declared", isCollectible: true).LoadFromStream(image);
        var adapter = (ProviderAdapter)assembly.GetType("Truto.Mappings.Providers.DeclaredAdapter", throwOnError: true)!
            .GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return adapter.Info;
    }
}
