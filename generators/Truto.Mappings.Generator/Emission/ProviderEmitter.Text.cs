using System.Collections.Generic;
using System.Linq;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>Templates as C# string expressions, and names of shared enum members.</summary>
internal sealed partial class ProviderEmitter
{
    private enum TextPlace
    {
        /// <summary>Values go in as they are (headers, query values the runtime encodes later, JSON strings).</summary>
        Plain,

        /// <summary>A path: every placeholder is percent-encoded, so no value can change the path.</summary>
        Path,

        /// <summary>A base URL: context values (hosts, instance URLs) go in as they are.</summary>
        Url,
    }

    /// <summary>A C# string expression for a template.</summary>
    private static string Text(Template template, TextPlace place, string? context, string? id)
    {
        var parts = new List<string>();
        foreach (var part in template.Parts)
        {
            if (part.Literal is not null)
            {
                parts.Add(CodeWriter.Literal(part.Literal));
                continue;
            }
            var placeholder = part.Placeholder!;
            var value = placeholder.Source switch
            {
                PlaceholderSource.Context => ContextValue(placeholder, context ?? "values.Context"),
                PlaceholderSource.Id => id ?? "values.Id",
                _ when place == TextPlace.Path => $"string.Join({CodeWriter.Literal(Uri.EscapeDataString(placeholder.JoinSeparator ?? ","))}, Enumerable.Select(values.Ids, Uri.EscapeDataString))",
                _ => $"string.Join({CodeWriter.Literal(placeholder.JoinSeparator ?? ",")}, values.Ids)",
            };
            if (place == TextPlace.Path && placeholder.Source != PlaceholderSource.Ids)
            {
                value = $"Uri.EscapeDataString({value})";
            }
            parts.Add(value);
        }
        return parts.Count switch
        {
            0 => "\"\"",
            1 => parts[0],
            _ => $"string.Concat({string.Join(", ", parts)})",
        };
    }

    /// <summary>
    /// A C# expression for a context placeholder's value as text: <c>Require</c> for one key,
    /// <c>RequireFirst</c> for a fallback chain (the first key present, else the default, else a 400
    /// naming every key), <c>RequireNumber</c> for <c>| number</c>.
    /// </summary>
    private static string ContextValue(Placeholder placeholder, string context)
    {
        var keys = string.Join(", ", placeholder.ContextKeys.Select(k => CodeWriter.Literal(k.Key)));
        var fallback = placeholder.Default is { } text ? CodeWriter.Literal(text) : "null";
        return placeholder.AsNumber ? $"{context}.RequireNumber({fallback}, {keys})"
            : placeholder.HasFallback ? $"{context}.RequireFirst({fallback}, {keys})"
            : $"{context}.Require({keys})";
    }

    /// <summary>
    /// A member of an enum the generator shares with the runtime (one source file compiled into
    /// both), so the emitted name is the member the model holds, by construction. The enum's name
    /// is an alias of <see cref="AdapterAliases"/>.
    /// </summary>
    private static string Member<TEnum>(TEnum value)
        where TEnum : struct, System.Enum
        => typeof(TEnum).Name + "." + value.ToString();
}
