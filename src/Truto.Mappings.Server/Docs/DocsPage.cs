using Truto.Mappings.Coverage;
using Truto.Mappings.Operations;
using Truto.Mappings.Server.Pages;

namespace Truto.Mappings.Server.Docs;

/// <summary>
/// The HTML reference page of a method, as the seed pages show it: parameters, body, response
/// fields, and per field "N supported" with the providers — rendered from the coverage metadata.
/// </summary>
public static class DocsPage
{
    /// <summary>One page per operation of the table: <c>/docs/unified/{model}/{resource}/{slug}</c>.</summary>
    public static void MapDocsPages(this IEndpointRouteBuilder app)
    {
        var table = app.ServiceProvider.GetRequiredService<OperationTable>();
        foreach (var resource in table.Resources)
        {
            app.MapGet($"/docs/unified/{resource.UnifiedModel}/{resource.Resource}/{{method}}", (string method) =>
                table.Find(resource.Resource, method) is { } operation
                    ? Results.Content(Render(CoverageReport.For(operation), method), "text/html; charset=utf-8")
                    : Http.ErrorResponses.Result(new Errors.TrutoError(404, $"No docs page '{method}'; pages: {string.Join(", ", table.Of(resource.Resource).Select(o => o.Slug))}.")));
        }
    }

    /// <summary>The page of one method, rendered from the <c>docs</c> template.</summary>
    public static string Render(MethodCoverage coverage, string slug)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var truto = coverage.TrutoQuery.Select(p => new FieldCoverage(p.Name, p.Type, p.Description, p.Required, [])).ToList();
        // Empty sections are left out, except Truto's own parameters, which every method has.
        var sections = new[]
        {
            Section("path-parameters", "Path Parameters", coverage.PathParameters),
            Section("query-parameters", "Query Parameters", coverage.Query),
            Section("truto-parameters", "Truto-specific parameters", truto),
            Section("request-body", "Request Body", coverage.Body),
            Section("response-body", "Response Body", coverage.Response),
        }.Where(s => s.Id == "truto-parameters" || s.Fields.Count > 0);
        return PageTemplates.Render("docs", new
        {
            title = $"{coverage.Method.HttpMethod} {coverage.Method.Path}",
            description = coverage.Method.Description,
            sections = sections.ToList(),
            slug,
        });
    }

    private static DocsSection Section(string id, string title, IReadOnlyList<FieldCoverage> fields) => new(id, title, fields);
}
