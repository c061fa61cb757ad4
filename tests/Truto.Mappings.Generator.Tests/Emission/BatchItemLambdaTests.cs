using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests.Emission;

/// <summary>
/// The lambdas over batch items declare <c>item</c> exactly when a path they were compiled from
/// starts at <c>@</c>: decided from the model, so a <c>$</c> path whose compiled text mentions
/// the item's neighbours, or a filter whose own <c>@</c> is the element it tests, does not fool it.
/// Each case compiles at the strictest level.
/// </summary>
public sealed class BatchItemLambdaTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/lambdas.yaml";

    /// <summary>A native batch whose items' error fields are <c>{message}</c> and <c>{code}</c>.</summary>
    private const string Provider = """
        name: lambdas
        display_name: Lambdas
        base_url: https://api.example.com
        hosts: [api.example.com]
        context:
          token: {label: Token, secret: true}
        auth:
          type: bearer
          token: "{{context.token}}"
        contacts:
          batch_delete:
            strategy: native
            max_ids: 10
            method: POST
            path: /contacts/delete
            body: "{{ids}}"
            items:
              path: $.results[*]
              match: position
              error:
                message: "{message}"
                code: "{code}"
            response:
              id: "{{id}}"

        """;

    [Fact]
    public void Paths_from_the_document_root_give_lambdas_that_ignore_the_item_even_when_they_need_an_iterator()
    {
        var lambdas = ItemLambdas(Provider.Replace("{message}", "$.errors[*].message", StringComparison.Ordinal).Replace("{code}", "$.code", StringComparison.Ordinal));

        Assert.All(lambdas, l => Assert.StartsWith("_ => ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_from_the_item_give_lambdas_that_read_it()
    {
        var lambdas = ItemLambdas(Provider.Replace("{message}", "@.error.message", StringComparison.Ordinal).Replace("{code}", "@.error.code", StringComparison.Ordinal));

        Assert.All(lambdas, l => Assert.StartsWith("element => { var item = ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void A_filter_reads_the_item_only_through_the_path_it_belongs_to()
    {
        // The filter's '@' is each error it tests and its right side is '$': the message lambda reads
        // the item because its path starts at '@'; the code lambda, whose filtered path starts at '$', does not.
        var lambdas = ItemLambdas(Provider
            .Replace("{message}", "@.errors[?@.field == $.field].message", StringComparison.Ordinal)
            .Replace("{code}", "$.errors[?@.field == 'id'].code", StringComparison.Ordinal));

        Assert.Equal(3, lambdas.Count);
        Assert.StartsWith("element => { var item = ", lambdas[0], StringComparison.Ordinal);
        Assert.StartsWith("element => { var item = ", lambdas[1], StringComparison.Ordinal);
        Assert.StartsWith("_ => ", lambdas[2], StringComparison.Ordinal);
    }

    /// <summary>The succeeded, message and code lambdas of the generated ReadBatchItems, after compiling the output strictly.</summary>
    private static List<string> ItemLambdas(string provider)
    {
        var driver = GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), new YamlFile(ProviderPath, provider)], GeneratorHarness.StrictParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));

        var adapter = driver.GetRunResult().Results[0].GeneratedSources.Single(s => s.HintName.StartsWith("Lambdas.", StringComparison.Ordinal)).SourceText.ToString();
        var lines = adapter.Split('\n').Select(l => l.Trim()).ToList();
        var call = lines.FindIndex(l => l.Contains("BatchItemResult.ByPosition(", StringComparison.Ordinal));
        Assert.True(call >= 0, adapter);
        return lines.Skip(call + 1).Take(3).ToList();
    }
}
