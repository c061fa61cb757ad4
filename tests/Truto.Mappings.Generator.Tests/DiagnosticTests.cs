using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Model;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// Every diagnostic of the catalogue, from a small broken file under <c>Cases/</c>: its ID, its
/// exact message, and the line and column (1-based, as an editor shows them) of the offending
/// node. Each test asserts the complete set of diagnostics, so an unexpected extra one fails it.
/// </summary>
public sealed class DiagnosticTests
{
    private static readonly string CasesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Cases");

    [Theory]
    [InlineData("yaml-syntax", "TM0001", 7, 28, "yaml-syntax.yaml: the file is not valid YAML: the YAML cannot be read after this point (an unclosed '{', '[' or quote?)")]
    [InlineData("yaml-mapping-in-value", "TM0001", 13, 27, "yaml-mapping-in-value.yaml: the file is not valid YAML: a ': ' inside an unquoted value, or a line indented deeper than the key above it: quote a value that contains ': ', and indent a line further only under a key that ends with ':' (the YAML parser: While scanning a plain scalar value, found invalid mapping.)")]
    [InlineData("missing-key", "TM0003", 12, 5, "Missing required key 'path' in contacts.delete")]
    [InlineData("unknown-field", "TM0004", 16, 7, "Unknown unified field 'frist_name' in contacts.delete.response (did you mean 'first_name'?); the unified contact has: id, account, addresses, created_at, custom_fields, email_addresses, etag, first_name, last_activity_at, last_name, name, owner, phone_numbers, tags, title, updated_at, urls")]
    [InlineData("invalid-path", "TM0005", 15, 26, "Invalid path expression '$.data[' in contacts.delete.response.first_name: expected a quoted name, an index, '*' or a '?' filter inside '[ ]' (at character 8)")]
    [InlineData("unknown-transform", "TM0006", 17, 20, "Unknown transform 'epoch_second' in contacts.delete.response.created_at.transform (did you mean 'epoch_seconds'?); expected one of: to_string, epoch_seconds, epoch_milliseconds, join, trim, lowercase")]
    [InlineData("unknown-placeholder", "TM0007", 13, 21, "Invalid template '/contacts/{{idd}}' in contacts.delete.path: placeholder '{{idd}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("wrong-type", "TM0008", 13, 14, "'contacts.batch_delete.max_ids' must be a whole number from 1 to 10000, but found 'many'")]
    [InlineData("ids-never-sent", "TM0010", 13, 11, "contacts.delete never sends the contact id: reference {{id}} in the path, query or body")]
    [InlineData("value-not-allowed", "TM0011", 15, 15, "'contacts.batch_delete.strategy' is 'sometimes'; expected one of: native, fan_out")]
    public void A_mistake_is_one_diagnostic_at_its_line_and_column(string file, string id, int line, int column, string message)
    {
        var diagnostics = Run(Case(file));

        var diagnostic = Assert.Single(diagnostics);
        AssertDiagnostic(diagnostic, file, id, line, column, message);
    }

    [Fact]
    public void An_unknown_key_suggests_the_closest_known_key_and_the_required_one_is_then_missing()
    {
        var diagnostics = Run(Case("unknown-key"));

        Assert.Equal(2, diagnostics.Length);
        AssertDiagnostic(diagnostics[0], "unknown-key", "TM0002", 12, 5,
            "Unknown key 'methd' in contacts.delete (did you mean 'method'?); expected one of: method, path, query, headers, body, success, failure_when, idempotent, response");
        AssertDiagnostic(diagnostics[1], "unknown-key", "TM0003", 12, 5, "Missing required key 'method' in contacts.delete");
    }

    [Fact]
    public void A_schema_method_without_a_shape_is_TM0018_at_the_method()
    {
        var text = GeneratorHarness.Schema().Text.Replace("    shape: batch\n", "", StringComparison.Ordinal);

        var diagnostics = GeneratorHarness.Run([new YamlFile(GeneratorHarness.Schema().Path, text)]).Diagnostics;

        // The method's mapping starts at its first key, the line after "  batch_delete:".
        AssertSchemaDiagnostic(Assert.Single(diagnostics), "TM0018", LineOf(text, "  batch_delete:") + 1, 5,
            "'methods.batch_delete.shape' is missing; expected 'shape: single' (one id, one provider call) or 'shape: batch' (many ids: a native batch or one call per id)");
    }

    [Fact]
    public void A_schema_method_with_an_unknown_shape_is_TM0018_at_the_value()
    {
        var text = GeneratorHarness.Schema().Text.Replace("    shape: batch\n", "    shape: many\n", StringComparison.Ordinal);

        var diagnostics = GeneratorHarness.Run([new YamlFile(GeneratorHarness.Schema().Path, text)]).Diagnostics;

        AssertSchemaDiagnostic(Assert.Single(diagnostics), "TM0018", LineOf(text, "    shape: many"), 12,
            "'methods.batch_delete.shape' is 'many'; expected 'shape: single' (one id, one provider call) or 'shape: batch' (many ids: a native batch or one call per id)");
    }

    [Fact]
    public void A_duplicate_provider_name_is_reported_at_the_second_file()
    {
        var diagnostics = Run(Case("duplicate-first"), Case("duplicate-second"));

        AssertDiagnostic(Assert.Single(diagnostics), "duplicate-second", "TM0009", 2, 7,
            "Provider name 'twin' is declared again; it is already declared in mappings/providers/duplicate-first.yaml");
    }

    [Fact]
    public void A_provider_without_the_schema_file_says_the_schema_is_missing()
    {
        var result = GeneratorHarness.Run([Case("duplicate-first")]);

        AssertDiagnostic(Assert.Single(result.Diagnostics), "duplicate-first", "TM0012", 1, 1,
            "No unified schema file (mappings/unified/crm/contacts.yaml) is among the AdditionalFiles, so 'duplicate-first.yaml' cannot be checked");
    }

    [Fact]
    public void An_exception_inside_the_generator_is_an_internal_error_at_the_file_not_a_crash()
    {
        // A schema model no parser would produce (a null field) makes provider parsing throw.
        var schema = new ProviderSchema("contacts", new EquatableArray<MethodShape>([new("delete", OperationShape.Single)]), new EquatableArray<FieldShape>([null!]));

        var result = MappingsGenerator.ParseProvider(new MappingFile(Case("unknown-field").Path, Case("unknown-field").Text), new SchemaForProviders(schema, Missing: false)).Result;

        Assert.Null(result.Provider);
        var diagnostic = Assert.Single(result.Diagnostics).ToDiagnostic();
        Assert.Equal("TM9999", diagnostic.Id);
        Assert.StartsWith("The mappings generator failed on this file; please report it: NullReferenceException", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(Case("unknown-field").Path, diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void Every_descriptor_is_an_error_without_a_help_link_and_documented_in_the_format_reference()
    {
        var descriptors = typeof(MappingsGenerator).Assembly.GetType("Truto.Mappings.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();

        Assert.Equal(31, descriptors.Count);
        Assert.All(descriptors, d =>
        {
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            // No public site to link to: a relative link is one no IDE can open (see DiagnosticDescriptors).
            Assert.Equal("", d.HelpLinkUri);
        });
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        var reference = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryMappings, "README.md"));
        var releases = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryMappings, "..", "generators", "Truto.Mappings.Generator", "AnalyzerReleases.Unshipped.md"));
        Assert.All(descriptors, d =>
        {
            Assert.Contains($"<a id=\"{d.Id.ToLowerInvariant()}\"></a>**{d.Id} {d.Title}**", reference, StringComparison.Ordinal);
            Assert.Contains($"{d.Id} | Truto.Mappings | Error | {d.Title}", releases, StringComparison.Ordinal);
        });
    }

    private static void AssertDiagnostic(Diagnostic diagnostic, string file, string id, int line, int column, string message)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(GeneratorHarness.Root + "providers/" + file + ".yaml", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }

    private static void AssertSchemaDiagnostic(Diagnostic diagnostic, string id, int line, int column, string message)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(GeneratorHarness.Schema().Path, span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }

    /// <summary>The 1-based line on which <paramref name="line"/> stands in <paramref name="text"/>.</summary>
    private static int LineOf(string text, string line)
        => Array.FindIndex(text.Split('\n'), l => l == line) + 1;

    private static ImmutableArray<Diagnostic> Run(params YamlFile[] providers)
        => GeneratorHarness.Run([GeneratorHarness.Schema(), .. providers]).Diagnostics;

    private static YamlFile Case(string name) => new(GeneratorHarness.Root + "providers/" + name + ".yaml", File.ReadAllText(Path.Combine(CasesDirectory, name + ".yaml")));
}
