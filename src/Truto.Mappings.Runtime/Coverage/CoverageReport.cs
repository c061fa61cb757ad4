using System.Globalization;
using System.Text;
using Truto.Mappings.Adapters;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Coverage;

/// <summary>One provider's support for a field: supported, or required (where it must be sent).</summary>
/// <param name="Name">Integration name.</param>
/// <param name="DisplayName">Name as people read it.</param>
/// <param name="Required">True when the provider needs the field.</param>
public sealed record ProviderSupport(string Name, string DisplayName, bool Required);

/// <summary>A field or parameter and the providers that support it.</summary>
/// <param name="Name">The field (dotted for nested response fields).</param>
/// <param name="Type">Its documented type.</param>
/// <param name="Description">Its description.</param>
/// <param name="Required">True when the unified API requires it.</param>
/// <param name="Providers">Who supports it, ordered by display name; empty for Truto's own parameters.</param>
public sealed record FieldCoverage(string Name, string Type, string Description, bool Required, IReadOnlyList<ProviderSupport> Providers)
{
    /// <summary>"2 supported · 1 required", as the reference pages print it.</summary>
    public string Summary
    {
        get
        {
            var required = Providers.Count(p => p.Required);
            var text = Providers.Count.ToString(CultureInfo.InvariantCulture) + " supported";
            return required > 0 ? text + " · " + required.ToString(CultureInfo.InvariantCulture) + " required" : text;
        }
    }
}

/// <summary>The reference of one unified method: every parameter and response field with its coverage.</summary>
/// <param name="Method">The method's schema.</param>
/// <param name="PathParameters">Path parameters.</param>
/// <param name="Query">Method query parameters.</param>
/// <param name="TrutoQuery">The Truto-specific query parameters.</param>
/// <param name="Body">Body fields.</param>
/// <param name="Response">Response fields, nested ones dotted.</param>
public sealed record MethodCoverage(
    UnifiedMethod Method,
    IReadOnlyList<FieldCoverage> PathParameters,
    IReadOnlyList<FieldCoverage> Query,
    IReadOnlyList<UnifiedParameter> TrutoQuery,
    IReadOnlyList<FieldCoverage> Body,
    IReadOnlyList<FieldCoverage> Response);

/// <summary>
/// Builds the per-method reference the seed pages show ("N supported", who requires what) from the
/// generated coverage metadata, as data and as Markdown.
/// </summary>
public static class CoverageReport
{
    /// <summary>The coverage of one operation across the providers that map it.</summary>
    public static MethodCoverage For(UnifiedOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var resource = operation.Resource;
        var unified = operation.Method;
        var supporting = operation.Providers
            .Select(o => (Adapter: o.Provider, o.Info))
            .OrderBy(p => p.Adapter.Info.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ToList();

        IReadOnlyList<FieldCoverage> Parameters(IReadOnlyList<UnifiedParameter> parameters, FieldLocation location)
            => parameters.Select(p => new FieldCoverage(p.Name, p.Type, p.Description, p.Required,
                supporting.SelectMany(s => s.Info.RequestFields
                        .Where(f => f.Name == p.Name && f.Location == location)
                        .Select(f => new ProviderSupport(s.Adapter.Info.Name, s.Adapter.Info.DisplayName, f.Required)))
                    .ToList())).ToList();

        var response = new List<FieldCoverage>();
        void AddFields(IEnumerable<UnifiedField> fields, string prefix)
        {
            foreach (var field in fields)
            {
                var name = prefix + field.Name;
                response.Add(new FieldCoverage(name, field.DisplayType, field.Description, field.Required,
                    supporting.Where(s => s.Info.ResponseFields.Contains(name))
                        .Select(s => new ProviderSupport(s.Adapter.Info.Name, s.Adapter.Info.DisplayName, false)).ToList()));
                AddFields(field.Properties, name + ".");
            }
        }
        AddFields(resource.Fields, "");

        return new MethodCoverage(
            unified,
            Parameters(unified.PathParameters, FieldLocation.Path),
            Parameters(unified.Query, FieldLocation.Query),
            resource.TrutoQuery,
            Parameters(unified.Body, FieldLocation.Body),
            response);
    }

    /// <summary>The method's reference as Markdown: parameters, body and response fields with coverage.</summary>
    public static string ToMarkdown(MethodCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var text = new StringBuilder();
        text.Append("# ").Append(coverage.Method.HttpMethod).Append(' ').Append(coverage.Method.Path).Append("\n\n");
        text.Append(coverage.Method.Description).Append('\n');
        Section(text, "Path parameters", coverage.PathParameters);
        Section(text, "Query parameters", coverage.Query);
        if (coverage.TrutoQuery.Count > 0)
        {
            text.Append("\n## Truto-specific parameters\n\n| name | type | required | description |\n| --- | --- | --- | --- |\n");
            foreach (var p in coverage.TrutoQuery)
            {
                text.Append("| `").Append(p.Name).Append("` | ").Append(Cell(p.Type)).Append(" | ").Append(p.Required ? "required" : "")
                    .Append(" | ").Append(Cell(p.Description)).Append(p.Values.Count > 0 ? " Possible values: " + string.Join(", ", p.Values.Select(v => $"`{v}`")) : "").Append(" |\n");
            }
        }
        Section(text, "Request body", coverage.Body);
        Section(text, "Response body", coverage.Response);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<FieldCoverage> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }
        text.Append("\n## ").Append(title).Append("\n\n| field | type | description | coverage |\n| --- | --- | --- | --- |\n");
        foreach (var field in fields)
        {
            var providers = string.Join(", ", field.Providers.Select(p => p.DisplayName + (p.Required ? " (required)" : "")));
            text.Append("| `").Append(field.Name).Append('`').Append(field.Required ? " (required)" : "")
                .Append(" | ").Append(Cell(field.Type)).Append(" | ").Append(Cell(field.Description))
                .Append(" | ").Append(field.Providers.Count == 0 ? "" : field.Summary + ": " + providers).Append(" |\n");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
