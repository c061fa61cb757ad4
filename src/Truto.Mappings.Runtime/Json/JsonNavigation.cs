using System.Globalization;
using System.Text.Json;

namespace Truto.Mappings.Json;

/// <summary>
/// The steps compiled path expressions are made of. Generated code chains these directly
/// (<c>Property(Index(Property(root, "contacts"u8), 0), "firstName"u8)</c>): no expression is
/// parsed at run time.
/// </summary>
public static class JsonNavigation
{
    /// <summary><c>.name</c>: the member, or null when absent or not an object.</summary>
    public static JsonElement? Property(JsonElement? element, ReadOnlySpan<byte> utf8Name)
        => element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(utf8Name, out var value) ? value : null;

    /// <summary><c>[n]</c>: the element (negative counts from the end), or null.</summary>
    public static JsonElement? Index(JsonElement? element, int index)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
        {
            return null;
        }
        var length = array.GetArrayLength();
        var i = index < 0 ? length + index : index;
        return i >= 0 && i < length ? array[i] : null;
    }

    /// <summary><c>[*]</c>: the elements of an array or the member values of an object (a struct: <c>foreach</c> allocates nothing).</summary>
    public static JsonChildren Children(JsonElement? element) => new(element);

    /// <summary>True when a node exists and is not JSON null.</summary>
    public static bool Exists(JsonElement? element) => element is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };

    /// <summary>True when the node is a non-empty value: not null, not an empty array, object or string.</summary>
    public static bool IsPresent(JsonElement? element) => element switch
    {
        null => false,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => false,
        { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0,
        { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Any(),
        { ValueKind: JsonValueKind.String } s => s.GetString()!.Length > 0,
        _ => true,
    };

    /// <summary>Compares a node with a filter literal (string, number, true, false, null).</summary>
    public static bool EqualsLiteral(JsonElement? element, JsonValueKind kind, string text) => element switch
    {
        null => false,
        { ValueKind: JsonValueKind.String } s => kind == JsonValueKind.String && s.ValueEquals(text),
        { ValueKind: JsonValueKind.Number } n => kind == JsonValueKind.Number && NumbersEqual(n.GetRawText(), text),
        { } other => other.ValueKind == kind && kind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
    };

    /// <summary>Compares two nodes by JSON value (RFC 9535 comparison; numbers by value, never across kinds).</summary>
    public static bool ValuesEqual(JsonElement? left, JsonElement? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }
        var (a, b) = (left.Value, right.Value);
        return (a.ValueKind, b.ValueKind) switch
        {
            (JsonValueKind.String, JsonValueKind.String) => a.GetString() == b.GetString(),
            (JsonValueKind.Number, JsonValueKind.Number) => NumbersEqual(a.GetRawText(), b.GetRawText()),
            // Objects and arrays by value, as RFC 9535 compares them: member order, white space and
            // escapes in the provider's text do not make two equal values differ.
            (JsonValueKind.Object, JsonValueKind.Object) or (JsonValueKind.Array, JsonValueKind.Array) => JsonElement.DeepEquals(a, b),
            _ => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText(),
        };
    }

    /// <summary>A scalar as text (strings as is, numbers and booleans by their JSON text); null otherwise.</summary>
    public static string? AsText(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => null,
    };

    private static bool NumbersEqual(string a, string b)
        => a == b || (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                      && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && x == y);
}
