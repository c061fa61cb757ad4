using System.Net;
using System.Text;
using Truto.Mappings.Coverage;
using Truto.Mappings.Operations;

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

    public static string Render(MethodCoverage coverage, string slug)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var html = new StringBuilder();
        var title = $"{coverage.Method.HttpMethod} {coverage.Method.Path}";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
            .Append(".field{border-top:1px solid #ddd;padding:.6rem 0}.name{font-family:monospace;font-weight:bold}.type{color:#666;margin-left:.5rem}")
            .Append(".coverage{color:#245}.providers li{display:inline;margin-right:.8rem}.required{color:#a00}</style></head><body>\n");
        html.Append("<h1 id=\"title\">").Append(E(title)).Append("</h1>\n<p>").Append(E(coverage.Method.Description)).Append("</p>\n");
        Section(html, "path-parameters", "Path Parameters", coverage.PathParameters);
        Section(html, "query-parameters", "Query Parameters", coverage.Query);
        html.Append("<section id=\"truto-parameters\"><h2>Truto-specific parameters</h2>\n");
        foreach (var p in coverage.TrutoQuery)
        {
            html.Append("<div class=\"field\" data-field=\"").Append(E(p.Name)).Append("\"><span class=\"name\">").Append(E(p.Name)).Append("</span><span class=\"type\">")
                .Append(E(p.Type)).Append("</span>").Append(p.Required ? " <span class=\"required\">required</span>" : "")
                .Append("<p>").Append(E(p.Description)).Append("</p></div>\n");
        }
        html.Append("</section>\n");
        Section(html, "request-body", "Request Body", coverage.Body);
        Section(html, "response-body", "Response Body", coverage.Response);
        html.Append("<p><a href=\"/openapi/v1.json\">OpenAPI document</a> · this page: <code>/docs/unified/crm/contacts/").Append(E(slug)).Append("</code></p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string id, string title, IReadOnlyList<FieldCoverage> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"").Append(id).Append("\"><h2>").Append(E(title)).Append("</h2>\n");
        foreach (var field in fields)
        {
            html.Append("<div class=\"field\" data-field=\"").Append(E(field.Name)).Append("\"><span class=\"name\">").Append(E(field.Name)).Append("</span><span class=\"type\">")
                .Append(E(field.Type)).Append("</span>").Append(field.Required ? " <span class=\"required\">required</span>" : "")
                .Append("<p>").Append(E(field.Description)).Append("</p>");
            if (field.Providers.Count > 0)
            {
                html.Append("<p class=\"coverage\">").Append(E(field.Summary)).Append("</p><ul class=\"providers\">");
                foreach (var provider in field.Providers)
                {
                    html.Append("<li data-provider=\"").Append(E(provider.Name)).Append("\">").Append(E(provider.DisplayName)).Append(' ')
                        .Append(provider.Required ? "<span class=\"required\">required</span>" : "<span>supported</span>").Append("</li>");
                }
                html.Append("</ul>");
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
