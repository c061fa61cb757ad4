using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;

namespace Truto.Mappings.Server.Pages;

/// <summary>
/// The server's HTML pages: one Scriban template per page (<c>Pages/Templates/{name}.html.sbn</c>,
/// embedded in the assembly), parsed once, rendered with every printed value HTML-escaped
/// (<see cref="HtmlTemplateContext"/>). Models are plain objects whose members the templates name
/// in snake_case.
/// </summary>
public static class PageTemplates
{
    private static readonly ConcurrentDictionary<string, Template> Parsed = new(StringComparer.Ordinal);

    /// <summary>Renders the page <paramref name="name"/> (<c>docs</c>, <c>connect-form</c>) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var template = Parsed.GetOrAdd(name, Load);
        var globals = new ScriptObject();
        globals.Import(model);
        var context = new HtmlTemplateContext { StrictVariables = true };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    /// <summary>The names of the embedded page templates.</summary>
    public static IEnumerable<string> Names => typeof(PageTemplates).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length]);

    private const string Prefix = "Truto.Mappings.Server.Pages.";
    private const string Suffix = ".html.sbn";

    private static Template Load(string name)
    {
        using var stream = typeof(PageTemplates).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
            ?? throw new InvalidOperationException($"No page template '{name}'; templates: {string.Join(", ", Names)}.");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), name + Suffix);
        return template.HasErrors
            ? throw new InvalidOperationException($"The page template '{name}' does not parse: {string.Join("; ", template.Messages)}")
            : template;
    }
}
