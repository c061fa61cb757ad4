namespace Truto.Mappings.Schema;

/// <summary>
/// The one rule from a method's name to its other spellings. The name is declared once, as the
/// schema's YAML key (<c>batch_delete</c>); the URL slug (<c>batch-delete</c>) and the C#
/// identifier (<c>BatchDelete</c>) are derived here, in source the generator and the runtime share.
/// </summary>
public static class OperationNames
{
    /// <summary>The URL spelling: <c>batch_delete</c> → <c>batch-delete</c>.</summary>
    public static string Slug(string name)
        => name.Replace('_', '-');

    /// <summary>The C# spelling: <c>batch_delete</c> → <c>BatchDelete</c> (each word capitalised, separators dropped).</summary>
    public static string Identifier(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, 'M');
        }
        return builder.ToString();
    }

    /// <summary>True when <paramref name="text"/> is the method's name or its slug (URLs use the slug; both are accepted).</summary>
    public static bool Matches(string name, string? text)
        => text is not null && (string.Equals(name, text, StringComparison.Ordinal) || string.Equals(Slug(name), text, StringComparison.Ordinal));
}
