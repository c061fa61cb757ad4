using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// One test per class of failure a fuzz run of 29,253 mutated files found (issue 8 §6): stack
/// overflows on deep nesting, YAML that writes code, aliases, sizes Roslyn cannot compile, names
/// unusable in C#, internal errors and misplaced locations, and number literals that are not JSON.
/// </summary>
public sealed class FuzzFindingTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/fuzz.yaml";

    /// <summary>A small valid provider; each case appends its lines.</summary>
    private static readonly string Provider = GeneratorHarness.MinimalProvider("fuzz", "Fuzz");

    [Fact]
    public void Deep_nesting_is_refused_at_the_level_past_the_limit_without_overflowing_the_stack()
    {
        // 100,000 levels overflowed the stack in YamlDotNet's node builder, taking the compiler down.
        var deep = Provider + "extra: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var diagnostic = Assert.Single(RunProvider(deep));

        AssertAt(diagnostic, "TM0013", ProviderPath, 16, 7 + 64,
            "'extra[0][0][0]…[0][0][0][0]' is nested too deeply: found mappings and lists nested more than 64 levels deep, expected at most 64 levels");
    }

    [Fact]
    public void Deep_block_nesting_is_refused_too()
    {
        var lines = Enumerable.Range(0, 70).Select(i => new string(' ', 2 * i) + "k" + i.ToString(CultureInfo.InvariantCulture) + ":");
        var deep = Provider + string.Join("\n", lines) + " x\n";

        var diagnostic = Assert.Single(RunProvider(deep));

        AssertAt(diagnostic, "TM0013", ProviderPath, 16 + 64, 2 * 64 + 1,
            "'k0.k1.k2.k3…k60.k61.k62.k63' is nested too deeply: found mappings and lists nested more than 64 levels deep, expected at most 64 levels");
    }

    [Fact]
    public void Nested_first_of_lists_are_refused_past_their_limit()
    {
        var value = string.Concat(Enumerable.Repeat("{first_of: [", 9)) + "$.a" + string.Concat(Enumerable.Repeat("]}", 9));
        var text = Provider.Replace("      id: \"{{id}}\"", "      id: \"{{id}}\"\n      name: " + value, StringComparison.Ordinal);

        var diagnostic = Assert.Single(RunProvider(text));

        AssertAt(diagnostic, "TM0013", ProviderPath, 16, 13 + 8 * 12 + 11,
            "'contacts.delete.response.name" + string.Concat(Enumerable.Repeat(".first_of[0]", 8)) + ".first_of' is nested too deeply: found more than 8 first_of lists inside each other, expected at most 8 levels");
    }

    [Theory]
    [InlineData("A\\LB", "A\\u2028B")]
    [InlineData("A\\PB", "A\\u2029B")]
    [InlineData("A\\NB", "A\\u0085B")]
    [InlineData("A\\r\\nB", "A\\r\\nB")]
    [InlineData("*/ </summary> & \\\" \\\\ \\x01", "*/ </summary> & \\\" \\\\ \\u0001")]
    public void Text_from_YAML_cannot_write_code_it_is_escaped_and_the_output_compiles(string yamlEscapes, string csharpLiteral)
    {
        // "A\LB" (U+2028) used to end the /// line and turn the rest of the name into code.
        var text = Provider.Replace("display_name: Fuzz", $"display_name: \"{yamlEscapes}\"", StringComparison.Ordinal);

        var (diagnostics, sources) = CompileStrictly(text);

        Assert.Empty(diagnostics);
        var adapter = sources.Single(s => s.HintName == "Fuzz.Contacts.g.cs").SourceText.ToString();
        Assert.Contains($"    \"{csharpLiteral}\",", adapter, StringComparison.Ordinal);
        var summary = adapter.Split('\n').Single(l => l.Contains("contacts, compiled from", StringComparison.Ordinal));
        Assert.StartsWith("/// <summary>", summary.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    body: &a [1, *a]", 16, 18, "'*a' in contacts.delete.body[1]")]
    [InlineData("    body: [1, *a]", 16, 15, "'*a' in contacts.delete.body[1]")]
    [InlineData("    body: {x: &a 1}", 16, 15, "'&a' in contacts.delete.body.x")]
    public void Anchors_and_aliases_are_refused_where_they_are(string line, int row, int column, string start)
    {
        var text = Provider.Replace("    path: /contacts/{{id}}", "    path: /contacts/{{id}}\n" + line, StringComparison.Ordinal);

        var diagnostic = Assert.Single(RunProvider(text));

        AssertAt(diagnostic, "TM0014", ProviderPath, row - 2, column,
            start + ": YAML anchors (&name) and aliases (*name) are not supported in mapping files; expected the value written out in full");
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_once()
    {
        // Six levels of ten took 85 s and 5.9 GB before.
        var bomb = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 6; i++)
        {
            bomb.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }
        var clock = Stopwatch.StartNew();

        var diagnostic = Assert.Single(RunProvider(Provider + bomb));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        AssertAt(diagnostic, "TM0014", ProviderPath, 17, 10,
            "'*a0' in a1[0]: YAML anchors (&name) and aliases (*name) are not supported in mapping files; expected the value written out in full");
    }

    [Fact]
    public void A_path_of_too_many_steps_is_refused_at_the_path()
    {
        // 600 steps compiled to nested calls Roslyn rejects (CS8078); 5,000 took 1.4 GB to emit.
        var text = Provider.Replace("      id: \"{{id}}\"", "      id: \"{{id}}\"\n      name: $" + string.Concat(Enumerable.Repeat(".a", 100)), StringComparison.Ordinal);

        var diagnostic = Assert.Single(RunProvider(text));

        AssertAt(diagnostic, "TM0015", ProviderPath, 16, 13, "'contacts.delete.response.name' is too large: found a path of 100 steps, expected at most 32 steps");
    }

    [Theory]
    [InlineData("path", 16, 13, "'contacts.delete.response.name' is too large: found a path of 1201 characters, expected at most 1000 characters")]
    [InlineData("template", 3, 11, "'base_url' is too large: found a text of 4010 characters, expected at most 4000 characters")]
    [InlineData("pattern", 18, 12, "'rate_limit.pattern' is too large: found a pattern of 1001 characters, expected at most 1000 characters")]
    [InlineData("transforms", 16, 36, "'contacts.delete.response.name.transform' is too large: found 9 transforms, expected at most 8 transforms")]
    public void A_value_too_large_to_compile_quickly_is_refused_at_the_value(string what, int line, int column, string message)
    {
        var name = "      id: \"{{id}}\"";
        var text = what switch
        {
            "path" => Provider.Replace(name, name + "\n      name: $" + string.Concat(Enumerable.Repeat(".a", 600)), StringComparison.Ordinal),
            "template" => Provider.Replace("https://api.example.com", "https://x/" + new string('a', 4000), StringComparison.Ordinal),
            "pattern" => Provider + "rate_limit:\n  header: X\n  pattern: " + new string('a', 1001) + "\n",
            _ => Provider.Replace(name, name + "\n      name: {path: $.a, transform: [" + string.Join(", ", Enumerable.Repeat("trim", 9)) + "]}", StringComparison.Ordinal),
        };

        AssertAt(Assert.Single(RunProvider(text)), "TM0015", ProviderPath, line, column, message);
    }

    [Fact]
    public void A_list_of_too_many_items_is_refused_at_the_first_item_past_the_limit()
    {
        // 65k rate_limit_codes emitted a pattern Roslyn took minutes over.
        var codes = string.Join(", ", Enumerable.Range(0, 65_000).Select(i => (i % 10).ToString(CultureInfo.InvariantCulture)));
        var text = Provider + "errors:\n  rate_limit_codes: [" + codes + "]\n";

        var diagnostic = Assert.Single(RunProvider(text));

        AssertAt(diagnostic, "TM0015", ProviderPath, 17, 22 + 256 * 3,
            "'errors.rate_limit_codes' is too large: found a list of more than 256 items, expected at most 256 items");
    }

    [Fact]
    public void Repeated_codes_and_statuses_are_emitted_once()
    {
        var text = Provider.Replace("    path: /contacts/{{id}}", "    path: /contacts/{{id}}\n    success: [204, 200, 204]", StringComparison.Ordinal)
            + "errors:\n  rate_limit_codes: [SLOW, FAST, SLOW, SLOW]\n";

        var (diagnostics, sources) = CompileStrictly(text);

        Assert.Empty(diagnostics);
        var adapter = sources.Single(s => s.HintName == "Fuzz.Contacts.g.cs").SourceText.ToString();
        Assert.Contains("public override bool IsRateLimitCode(string code) => code is \"SLOW\" or \"FAST\";", adapter, StringComparison.Ordinal);
        Assert.Contains("public override bool IsSuccessStatus(int status) => status is 204 or 200;", adapter, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type_name: Contact", "type_name: GeneratedProviders", 6, 12, "TM0016",
        "'type_name' is 'GeneratedProviders', which cannot name generated code; expected a PascalCase C# type name (an upper-case ASCII letter, then ASCII letters and digits) other than GeneratedProviders")]
    [InlineData("type_name: Contact", "type_name: Con.tact", 6, 12, "TM0016",
        "'type_name' is 'Con.tact', which cannot name generated code; expected a PascalCase C# type name (an upper-case ASCII letter, then ASCII letters and digits) other than GeneratedProviders")]
    [InlineData("type_name: Contact", "type_name: class", 6, 12, "TM0016",
        "'type_name' is 'class', which cannot name generated code; expected a PascalCase C# type name (an upper-case ASCII letter, then ASCII letters and digits) other than GeneratedProviders")]
    [InlineData("type_name: Contact", "type_name: ContactsSchema", 6, 12, "TM0017",
        "'type_name' gives the generated name 'ContactsSchema', which 'resource' already has; expected a name that differs after conversion to PascalCase")]
    [InlineData("  etag:", "  from_json:", 46, 3, "TM0016",
        "'fields.from_json' is 'from_json', which cannot name generated code; expected a name whose property ('FromJson') is neither the type's own name nor a member every generated type has (FromJson, WriteTo, EqualityContract, Equals, GetHashCode, ToString, PrintMembers, Deconstruct, GetType, MemberwiseClone, Finalize, ReferenceEquals)")]
    [InlineData("  etag:", "  contact:", 46, 3, "TM0016",
        "'fields.contact' is 'contact', which cannot name generated code; expected a name whose property ('Contact') is neither the type's own name nor a member every generated type has (FromJson, WriteTo, EqualityContract, Equals, GetHashCode, ToString, PrintMembers, Deconstruct, GetType, MemberwiseClone, Finalize, ReferenceEquals)")]
    [InlineData("  etag:", "  emailAddresses:", 46, 3, "TM0016",
        "'fields.emailAddresses' is 'emailAddresses', which cannot name generated code; expected a snake_case name (lower-case ASCII letters and digits, words joined by single '_', starting with a letter)")]
    [InlineData("  etag:", "  Con.tact:", 46, 3, "TM0016",
        "'fields.Con.tact' is 'Con.tact', which cannot name generated code; expected a snake_case name (lower-case ASCII letters and digits, words joined by single '_', starting with a letter)")]
    [InlineData("      street_2: {", "      street1: {", 31, 7, "TM0017",
        "'fields.addresses.properties.street1' gives the generated name 'Street1', which 'fields.addresses.properties.street_1' already has; expected a name that differs after conversion to PascalCase")]
    [InlineData("  etag:", "  json_converter:\n    type: object\n    description: x\n  etag2:", 46, 3, "TM0017",
        "'fields.json_converter' gives the generated name 'ContactJsonConverter', which 'type_name' already has; expected a name that differs after conversion to PascalCase")]
    public void Schema_names_that_cannot_name_generated_code_are_refused_at_the_name(string original, string replacement, int line, int column, string id, string message)
    {
        var schema = GeneratorHarness.Schema();
        var text = schema.Text.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(schema.Text, text);

        var result = GeneratorHarness.Run([new YamlFile(schema.Path, text), GeneratorHarness.Provider("hubspot")]);

        Assert.Null(result.Results[0].Exception);
        AssertAt(Assert.Single(result.Diagnostics), id, schema.Path, line, column, message);
    }

    [Fact]
    public void Two_provider_files_whose_names_convert_alike_keep_hint_names_unique()
    {
        var first = new YamlFile(GeneratorHarness.Root + "providers/zendesk_sell.yaml", Provider);
        var second = new YamlFile(GeneratorHarness.Root + "providers/zendesk_sell.yml", Provider.Replace("name: fuzz", "name: fuzz2", StringComparison.Ordinal));

        var result = GeneratorHarness.Run([GeneratorHarness.Schema(), first, second]);

        Assert.Null(result.Results[0].Exception);
        AssertAt(Assert.Single(result.Diagnostics), "TM0017", second.Path, 1, 1,
            "'mappings/providers/zendesk_sell.yml' gives the generated name 'ZendeskSellAdapter', which 'mappings/providers/zendesk_sell.yaml' already has; expected a name that differs after conversion to PascalCase");
        Assert.Single(result.Results[0].GeneratedSources, s => s.HintName == "ZendeskSell.Contacts.g.cs");
    }

    [Fact]
    public void An_escape_that_is_no_character_is_invalid_YAML_not_an_internal_error()
    {
        var diagnostic = Assert.Single(RunProvider(Provider + "a: \"\\uDE00\\uD800\"\n"));

        AssertAt(diagnostic, "TM0001", ProviderPath, 16, 2,
            "fuzz.yaml: the file is not valid YAML: the YAML cannot be read after this point (an escape that is not a character, or a key given twice?)");
    }

    [Fact]
    public void An_unpaired_surrogate_is_invalid_YAML_at_its_value()
    {
        var diagnostic = Assert.Single(RunProvider(Provider.Replace("display_name: Fuzz", "display_name: A\uD800B", StringComparison.Ordinal)));

        AssertAt(diagnostic, "TM0001", ProviderPath, 2, 15,
            "fuzz.yaml: the file is not valid YAML: the value contains an unpaired UTF-16 surrogate (a '\\uD800'-'\\uDFFF' escape without its partner), which is not text");
    }

    [Fact]
    public void A_file_that_is_only_a_document_marker_is_located_inside_the_file()
    {
        var diagnostic = Assert.Single(RunProvider("---"));

        Assert.True(diagnostic.Location.SourceSpan.End <= 3, diagnostic.Location.SourceSpan.ToString());
        AssertAt(diagnostic, "TM0008", ProviderPath, 1, 4, "'fuzz.yaml' must be a mapping of keys to values, but found an empty value");
    }

    [Fact]
    public void An_unknown_key_at_the_root_names_the_top_level()
    {
        var diagnostic = Assert.Single(RunProvider(Provider + "colour: blue\n"));

        AssertAt(diagnostic, "TM0002", ProviderPath, 16, 1,
            "Unknown key 'colour' in the file's top level; expected one of: name, display_name, docs_url, base_url, hosts, context, auth, oauth2, headers, errors, rate_limit, contacts");
    }

    [Fact]
    public void Body_numbers_are_raw_JSON_only_in_JSON_s_grammar_the_rest_are_text()
    {
        // NaN, Infinity, +1, .5, 5. and 01 went to WriteRawValue, which throws at run time.
        var body = "    body: {a: NaN, b: Infinity, c: +1, d: .5, e: 5., f: 01, g: 1.5, h: -0, i: 1e5, j: -2.5E-3}";
        var text = Provider.Replace("    path: /contacts/{{id}}", "    path: /contacts/{{id}}\n" + body, StringComparison.Ordinal);

        var (diagnostics, sources) = CompileStrictly(text);

        Assert.Empty(diagnostics);
        var adapter = sources.Single(s => s.HintName == "Fuzz.Contacts.g.cs").SourceText.ToString();
        foreach (var text2 in new[] { "NaN", "Infinity", "+1", ".5", "5.", "01" })
        {
            Assert.Contains($"json.WriteStringValue(\"{text2}\");", adapter, StringComparison.Ordinal);
        }
        foreach (var number in new[] { "1.5", "-0", "1e5", "-2.5E-3" })
        {
            Assert.Contains($"json.WriteRawValue(\"{number}\");", adapter, StringComparison.Ordinal);
        }
    }

    private static ImmutableArray<Diagnostic> RunProvider(string text) => ProviderDiagnostics.Run(ProviderPath, text);

    /// <summary>Generator diagnostics, and the output compiled at the strictest level with XML docs checked.</summary>
    private static (ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Sources) CompileStrictly(string provider)
    {
        var driver = GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), new YamlFile(ProviderPath, provider)], GeneratorHarness.StrictParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out var diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        return (diagnostics, driver.GetRunResult().Results[0].GeneratedSources);
    }

    private static void AssertAt(Diagnostic diagnostic, string id, string path, int line, int column, string message)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(path, span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }
}
