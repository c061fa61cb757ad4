namespace Truto.Mappings.Requests;

/// <summary>
/// Control characters (any C0 — CR, LF, NUL, … — or DEL): no id, credential or setting has them,
/// and one that reached a request could add a header or bend a URL.
/// </summary>
internal static class ControlCharacters
{
    /// <summary>True when <paramref name="text"/> holds any control character.</summary>
    public static bool In(string text)
        => text.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || text.Contains('\u007F', StringComparison.Ordinal);
}
