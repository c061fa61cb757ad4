using System.Globalization;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The commonest YAML slips in a provider file, a line out of step with its siblings or a tab, are
/// TM0001 at that line with a sentence about indentation, followed by the parser's own words.
/// </summary>
public sealed class YamlIndentationTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/indent.yaml";
    private static readonly string Provider = GeneratorHarness.MinimalProvider("indent", "Indent");

    [Theory]
    // A key indented deeper than the sibling above it (path under "method: DELETE").
    [InlineData("    path: /contacts/{{id}}", "      path: /contacts/{{id}}", 13, 11,
        "a ': ' inside an unquoted value, or a line indented deeper than the key above it: quote a value that contains ': ', and indent a line further only under a key that ends with ':' (the YAML parser: While scanning a plain scalar value, found invalid mapping.)")]
    // A key indented one space less than its siblings.
    [InlineData("    path: /contacts/{{id}}", "   path: /contacts/{{id}}", 13, 4,
        "this line does not line up with the keys before it: the keys of one mapping start in the same column and end with ':'; check this line's indentation (or a missing ':') (the YAML parser: While parsing a block mapping, did not find expected key.)")]
    // A key without its ':'.
    [InlineData("    path: /contacts/{{id}}", "    path /contacts/{{id}}", 13, 5,
        "this line does not line up with the keys before it: the keys of one mapping start in the same column and end with ':'; check this line's indentation (or a missing ':') (the YAML parser: While parsing a block mapping, did not find expected key.)")]
    // A tab where spaces indent: YamlDotNet places it at the file's start; the diagnostic is at the tab.
    [InlineData("    method: DELETE", "\tmethod: DELETE", 12, 1,
        "a tab in the indentation: YAML indents with spaces only (the YAML parser: While scanning a mapping, found invalid tab as indentation.)")]
    public void An_indentation_slip_is_TM0001_at_its_line_explained(string line, string slipped, int atLine, int atColumn, string message)
    {
        var diagnostic = Assert.Single(ProviderDiagnostics.Run(ProviderPath, Provider.Replace(line, slipped, StringComparison.Ordinal)));

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("TM0001", diagnostic.Id);
        Assert.Equal("indent.yaml: the file is not valid YAML: " + message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal((atLine, atColumn), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }

    [Fact]
    public void A_list_item_out_of_step_with_the_items_before_it_is_explained_at_its_line()
    {
        var diagnostic = Assert.Single(ProviderDiagnostics.Run(ProviderPath, Provider + "extra:\n  - a\n - b\n"));

        Assert.Equal("TM0001", diagnostic.Id);
        Assert.StartsWith("indent.yaml: the file is not valid YAML: this line does not line up with", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(18, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }
}
