using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Parsing;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The pipeline caches: equal input gives equal models, cached values hold no Roslyn objects, and
/// the run reasons of the tracked steps show that only what changed is recomputed.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps = [TrackingNames.Files, TrackingNames.Schema, TrackingNames.ProviderModels, TrackingNames.AllProviders];

    [Fact]
    public void Parsing_the_same_text_twice_gives_equal_models()
    {
        var (schema, _) = SchemaFileParser.Parse(GeneratorHarness.Schema().Path, GeneratorHarness.Schema().Text);
        var file = GeneratorHarness.Provider("nutshell");

        var (first, _) = ProviderFileParser.Parse(file.Path, file.Text, schema!);
        var (second, _) = ProviderFileParser.Parse(file.Path, file.Text, SchemaFileParser.Parse(GeneratorHarness.Schema().Path, GeneratorHarness.Schema().Text).Schema!);

        Assert.NotNull(first);
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first!.GetHashCode(), second!.GetHashCode());
    }

    [Fact]
    public void Cached_values_hold_no_compilation_symbol_or_syntax()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RealFiles()).Results[0];
        var forbidden = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);

        foreach (var step in TrackedSteps.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach (var (value, _) in step.Outputs)
            {
                Walk(value, step.Name ?? "?", forbidden, seen);
            }
        }

        Assert.Empty(forbidden);
        // The walk really went through the models (paths, templates, mappings), not just their roots.
        Assert.Contains(seen, v => v is Truto.Mappings.Expressions.PathExpression);
        Assert.Contains(seen, v => v is Model.FieldMapping);
    }

    [Fact]
    public void A_second_run_with_the_same_files_is_all_cached()
    {
        var files = GeneratorHarness.RealFiles();
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());

        var second = driver.RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

        foreach (var name in TrackedSteps)
        {
            Assert.All(second.TrackedSteps[name].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
    }

    [Fact]
    public void Editing_one_provider_file_recomputes_only_that_provider()
    {
        var files = GeneratorHarness.RealFiles();
        var hubspot = files.Single(f => f.Path.EndsWith("/hubspot.yaml", StringComparison.Ordinal));
        var edited = new YamlFile(hubspot.Path, hubspot.Text.Replace("max_ids: 100", "max_ids: 90", StringComparison.Ordinal));
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());

        var result = driver.ReplaceAdditionalText(hubspot, edited).RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

        var models = ProviderModelReasons(result);
        Assert.Equal(IncrementalStepRunReason.Modified, models["hubspot.yaml"]);
        Assert.All(models.Where(m => m.Key != "hubspot.yaml"), m => Assert.Equal(IncrementalStepRunReason.Cached, m.Value));
        Assert.Contains(result.TrackedSteps[TrackingNames.Schema].SelectMany(s => s.Outputs), o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_comment_only_edit_leaves_the_model_unchanged()
    {
        var files = GeneratorHarness.RealFiles();
        var salesforce = files.Single(f => f.Path.EndsWith("/salesforce.yaml", StringComparison.Ordinal));
        var commented = new YamlFile(salesforce.Path, salesforce.Text + "# A note for the next engineer.\n");
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());

        var result = driver.ReplaceAdditionalText(salesforce, commented).RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

        var files2 = result.TrackedSteps[TrackingNames.Files].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(files2, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Unchanged, ProviderModelReasons(result)["salesforce.yaml"]);
        Assert.All(result.TrackedSteps[TrackingNames.AllProviders].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static Dictionary<string, IncrementalStepRunReason> ProviderModelReasons(GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.ProviderModels]
            .SelectMany(s => s.Outputs)
            .ToDictionary(o => Path.GetFileName(((ProviderResult)o.Value).FilePath), o => o.Reason);

    private static void Walk(object? value, string path, List<string> forbidden, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }
        if (value is Compilation or ISymbol or SyntaxNode or SemanticModel or SyntaxTree)
        {
            forbidden.Add($"{path}: {value.GetType().Name}");
            return;
        }
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{i++}]", forbidden, seen);
            }
            return;
        }
        if (value.GetType().Namespace?.StartsWith("Truto.", StringComparison.Ordinal) != true && value.GetType().Namespace?.StartsWith("System.", StringComparison.Ordinal) == false)
        {
            return;
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", forbidden, seen);
        }
    }
}
