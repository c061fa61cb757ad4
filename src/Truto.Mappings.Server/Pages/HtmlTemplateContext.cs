using System.Net;
using Scriban;
using Scriban.Parsing;

namespace Truto.Mappings.Server.Pages;

/// <summary>
/// A Scriban context that HTML-escapes every value a template prints: the template's own text is
/// written as is, anything from the model (a provider's help text, an error message, a URL) is
/// encoded, so no page can be made to carry markup or script by the data it shows.
/// </summary>
internal sealed class HtmlTemplateContext : TemplateContext
{
    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is null)
        {
            return this;
        }
        Write(WebUtility.HtmlEncode(ObjectToString(textAsObject)));
        return this;
    }
}
