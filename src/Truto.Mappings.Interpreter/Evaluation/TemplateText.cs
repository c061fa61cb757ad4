extern alias generator;

using generator::Truto.Mappings.Expressions;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>Where a template's text goes, which decides how placeholders are encoded (the emitter's <c>TextPlace</c>).</summary>
internal enum TextPlace
{
    /// <summary>Values go in as they are (headers, query values the runtime encodes later, JSON strings).</summary>
    Plain,

    /// <summary>A path: every placeholder is percent-encoded, so no value can change the path.</summary>
    Path,

    /// <summary>A base URL: context values go in as they are.</summary>
    Url,
}

/// <summary>Templates as text, part by part as the emitter's <c>Text</c> concatenates them.</summary>
internal static class TemplateText
{
    /// <summary>The template's text for an account, the current id and a chunk's ids (either may be absent where no placeholder can read it).</summary>
    public static string Evaluate(Template template, TextPlace place, AccountContext? context, string? id, IReadOnlyList<string>? ids)
    {
        if (template.Parts.Count == 1 && template.Parts[0].Literal is { } only)
        {
            return only;
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in template.Parts)
        {
            if (part.Literal is not null)
            {
                text.Append(part.Literal);
                continue;
            }
            var placeholder = part.Placeholder!;
            var value = placeholder.Source switch
            {
                PlaceholderSource.Context => ContextValue(placeholder, Required(context)),
                PlaceholderSource.Id => Required(id),
                _ when place == TextPlace.Path => string.Join(Uri.EscapeDataString(placeholder.JoinSeparator ?? ","), Required(ids).Select(Uri.EscapeDataString)),
                _ => string.Join(placeholder.JoinSeparator ?? ",", Required(ids)),
            };
            if (place == TextPlace.Path && placeholder.Source != PlaceholderSource.Ids)
            {
                value = Uri.EscapeDataString(value);
            }
            text.Append(value);
        }
        return text.ToString();
    }

    /// <summary>
    /// A context placeholder's value as text, as the emitter's <c>ContextValue</c> chooses: one key's
    /// <c>Require</c>, a fallback chain's <c>RequireFirst</c> (first key present, else the default,
    /// else a 400 naming every key), <c>| number</c>'s <c>RequireNumber</c>.
    /// </summary>
    private static string ContextValue(Placeholder placeholder, AccountContext context)
    {
        var keys = placeholder.ContextKeys.Select(k => k.Key).ToArray();
        return placeholder.AsNumber ? context.RequireNumber(placeholder.Default, keys)
            : placeholder.HasFallback ? context.RequireFirst(placeholder.Default, keys)
            : context.Require(keys[0]);
    }

    // The parser allows each placeholder only where its value exists (no context in a response
    // template, no ids in a base URL); reaching one elsewhere is a bug, not a YAML mistake.
    private static T Required<T>(T? value)
        where T : class
        => value ?? throw new InvalidOperationException("A template read a value that does not exist where it is used.");
}
