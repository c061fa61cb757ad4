using System.Text.RegularExpressions;
using Truto.Mappings.Coverage;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// The coverage computed from our mappings reproduces the reference pages (verbatim copies in
/// <c>Reference/</c>): every provider a page lists as supporting or requiring a field supports or
/// requires it in our mappings. We may add providers and fields, never drop one.
/// </summary>
public sealed partial class CoverageTests
{
    private static readonly string ReferenceDirectory = Path.Combine(Snapshot.SourceDirectory(), "Reference");

    [Theory]
    [InlineData("delete.txt", "delete")]
    [InlineData("batch-delete.txt", "batch_delete")]
    public void Our_coverage_includes_everything_the_reference_page_lists(string page, string method)
    {
        var expected = ReadReference(File.ReadAllLines(Path.Combine(ReferenceDirectory, page)));
        var coverage = ContactsReference.Coverage(method);
        var missing = new List<string>();

        foreach (var ((section, field), providers) in expected)
        {
            var ours = Section(coverage, section).SingleOrDefault(f => f.Name == field);
            foreach (var (provider, required) in providers)
            {
                var support = ours?.Providers.SingleOrDefault(p => p.DisplayName == provider);
                if (support is null || (required && !support.Required))
                {
                    missing.Add($"{section} {field}: {provider} {(required ? "required" : "supported")}");
                }
            }
        }

        Assert.NotEmpty(expected);
        Assert.Empty(missing);
    }

    [Fact]
    public void The_reference_page_parser_reads_the_batch_delete_id_requirements()
    {
        var expected = ReadReference(File.ReadAllLines(Path.Combine(ReferenceDirectory, "batch-delete.txt")));

        Assert.Equal([("Salesforce", true), ("HubSpot", false)], expected[("query", "id")]);
        Assert.Equal([("HubSpot", true), ("Salesforce", false)], expected[("body", "id")]);
    }

    [Theory]
    [InlineData("delete", "delete")]
    [InlineData("batch_delete", "batch-delete")]
    public void The_markdown_reference_matches_its_snapshot(string method, string name)
        => Snapshot.Match(ReferenceDirectory, name, "md", ContactsReference.Markdown(method));

    [Fact]
    public void The_reference_covers_every_method_the_schema_declares_by_name_and_by_slug()
    {
        var methods = Unified.ContactsSchema.Resource.Methods;

        Assert.Equal(methods.Select(m => m.Name), ContactsReference.Operations.Select(o => o.Name));
        Assert.All(methods, m => Assert.Equal(ContactsReference.Markdown(m.Name), ContactsReference.Markdown(m.Slug)));
        Assert.Throws<ArgumentException>(() => ContactsReference.Coverage("update"));
    }

    private static IReadOnlyList<FieldCoverage> Section(MethodCoverage coverage, string section) => section switch
    {
        "path" => coverage.PathParameters,
        "query" => coverage.Query,
        "body" => coverage.Body,
        _ => coverage.Response,
    };

    /// <summary>(section, field) → the providers listed under "N supported", in page order.</summary>
    private static Dictionary<(string Section, string Field), List<(string Provider, bool Required)>> ReadReference(string[] lines)
    {
        var result = new Dictionary<(string, string), List<(string, bool)>>();
        var section = "";
        string? field = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            section = line switch
            {
                "Path Parameters" => "path",
                "Query Parameters" => "query",
                "Request Body" => "body",
                "Response Body" => "response",
                _ => section,
            };
            if (FieldHeader().Match(line) is { Success: true } header)
            {
                field = header.Groups["name"].Value;
                continue;
            }
            if (CoverageLine().IsMatch(line) && field is not null)
            {
                var providers = new List<(string, bool)>();
                while (i + 2 < lines.Length && lines[i + 2].Trim() is "supported" or "required")
                {
                    providers.Add((lines[i + 1].Trim(), lines[i + 2].Trim() == "required"));
                    i += 2;
                }
                result[(section, field)] = providers;
            }
        }
        return result;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(string · date-time|string · uuid|string\[\]|string|object\[\]|object|array|boolean|number|Record<string, any>)$")]
    private static partial Regex FieldHeader();

    [GeneratedRegex(@"^\d+ supported(\s*\d+ required)?$")]
    private static partial Regex CoverageLine();
}
