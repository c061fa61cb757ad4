using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Model;
using Truto.Mappings.Generator.Parsing;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The pipeline caches: equal input gives equal models, cached values hold no Roslyn objects, and
/// the run reasons of the tracked steps show that only what changed is recomputed.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    [
        TrackingNames.Files, TrackingNames.Schema, TrackingNames.ProviderSchema, TrackingNames.ProviderModels,
        TrackingNames.ProviderSources, TrackingNames.ProviderDeclarations, TrackingNames.AllProviders,
    ];

    /// <summary>The steps downstream of one provider file (and of the schema's projection).</summary>
    private static readonly string[] ProviderSteps =
        [TrackingNames.ProviderSchema, TrackingNames.ProviderModels, TrackingNames.ProviderSources, TrackingNames.ProviderDeclarations, TrackingNames.AllProviders];

    [Fact]
    public void Parsing_the_same_text_twice_gives_equal_models()
    {
        var (schema, _) = SchemaFileParser.Parse(GeneratorHarness.Schema().Path, GeneratorHarness.Schema().Text);
        var file = GeneratorHarness.Provider("nutshell");

        var (first, _, _) = ProviderFileParser.Parse(file.Path, file.Text, ProviderSchema.From(schema!));
        var (second, _, _) = ProviderFileParser.Parse(file.Path, file.Text, ProviderSchema.From(SchemaFileParser.Parse(GeneratorHarness.Schema().Path, GeneratorHarness.Schema().Text).Schema!));

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

    [Fact]
    public void Editing_a_field_description_in_the_schema_leaves_every_provider_step_cached()
    {
        var files = GeneratorHarness.RealFiles();
        var schema = files[0];
        const string description = "description: The contact's unique identifier";
        Assert.Contains(description, schema.Text, StringComparison.Ordinal);
        var edited = new YamlFile(schema.Path, schema.Text.Replace(description, "description: The id the CRM gave the contact", StringComparison.Ordinal));
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());

        var result = driver.ReplaceAdditionalText(schema, edited).RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

        // The schema itself changed (its generated model documents the field) ...
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(result.TrackedSteps[TrackingNames.Schema].SelectMany(s => s.Outputs)).Reason);
        // ... but what providers are checked against did not, so nothing about providers ran again.
        Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(result.TrackedSteps[TrackingNames.ProviderSchema].SelectMany(s => s.Outputs)).Reason);
        foreach (var name in ProviderSteps.Skip(1))
        {
            Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        }
        Assert.Equal(files.Count - 1, ProviderModelReasons(result).Count);
    }

    [Fact]
    public void A_comment_above_the_name_re_runs_the_parse_but_not_the_emission()
    {
        var files = GeneratorHarness.RealFiles();
        var hubspot = files.Single(f => f.Path.EndsWith("/hubspot.yaml", StringComparison.Ordinal));
        Assert.Contains("\nname: hubspot\n", hubspot.Text, StringComparison.Ordinal);
        var edited = new YamlFile(hubspot.Path, hubspot.Text.Replace("\nname: hubspot\n", "\n# The integration name accounts use.\nname: hubspot\n", StringComparison.Ordinal));
        var driver = GeneratorHarness.CreateDriver(files).RunGenerators(GeneratorHarness.EmptyCompilation());

        var result = driver.ReplaceAdditionalText(hubspot, edited).RunGenerators(GeneratorHarness.EmptyCompilation()).GetRunResult().Results[0];

        // The parse ran again and its result moved (the name is declared a line lower) ...
        Assert.Equal(IncrementalStepRunReason.Modified, ProviderModelReasons(result)["hubspot.yaml"]);
        var declarations = Assert.Single(Assert.Single(result.TrackedSteps[TrackingNames.ProviderDeclarations]).Outputs);
        Assert.Equal(IncrementalStepRunReason.Modified, declarations.Reason);
        var hubspotName = ((IEnumerable<ProviderDeclaration>)declarations.Value).Single(d => d.Name == "hubspot");
        Assert.Equal(4, hubspotName.Location.LineSpan.Start.Line);
        // ... but what the adapter is emitted from did not, so its source is not written again, nor is the registry.
        var sources = result.TrackedSteps[TrackingNames.ProviderSources].SelectMany(s => s.Outputs)
            .ToDictionary(o => Path.GetFileName(((ProviderResult)o.Value).FilePath), o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Unchanged, sources["hubspot.yaml"]);
        Assert.All(sources.Where(s => s.Key != "hubspot.yaml"), s => Assert.Equal(IncrementalStepRunReason.Cached, s.Value));
        Assert.All(result.TrackedSteps[TrackingNames.AllProviders].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static Dictionary<string, IncrementalStepRunReason> ProviderModelReasons(GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.ProviderModels]
            .SelectMany(s => s.Outputs)
            .ToDictionary(o => Path.GetFileName(((ParsedProvider)o.Value).Result.FilePath), o => o.Reason);

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
