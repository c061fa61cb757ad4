using System.Text.Json;

namespace Truto.Mappings.Json;

/// <summary>
/// A value on its way into a unified field: a node of the provider response, or text made by a
/// template, a constant or a transform. A struct, so mapping allocates nothing for it.
/// </summary>
public readonly struct MappedValue
{
    private MappedValue(JsonElement? element, string? text)
    {
        Element = element;
        Text = text;
    }

    /// <summary>The provider node, when the value is one.</summary>
    public JsonElement? Element { get; }

    /// <summary>The text, when the value was made rather than read.</summary>
    public string? Text { get; }

    /// <summary>True when there is no value or it is JSON null.</summary>
    public bool IsNull => Text is null && !JsonNavigation.Exists(Element);

    /// <summary>No value.</summary>
    public static MappedValue Null => default;

    /// <summary>A provider node (null stays null).</summary>
    public static MappedValue From(JsonElement? element) => new(element, null);

    /// <summary>A text value (null stays null).</summary>
    public static MappedValue From(string? text) => new(null, text);

    /// <summary>The value as text: scalars by their JSON text, objects and arrays are not text.</summary>
    public string? AsText() => Text ?? JsonNavigation.AsText(Element);

    /// <summary>The first non-null value (<c>first_of</c>) of two.</summary>
    public static MappedValue FirstOf(MappedValue first, MappedValue second) => !first.IsNull ? first : OrNull(second);

    /// <summary>The first non-null value (<c>first_of</c>) of three.</summary>
    public static MappedValue FirstOf(MappedValue first, MappedValue second, MappedValue third)
        => !first.IsNull ? first : !second.IsNull ? second : OrNull(third);

    /// <summary>The first non-null value (<c>first_of</c>) of four.</summary>
    public static MappedValue FirstOf(MappedValue first, MappedValue second, MappedValue third, MappedValue fourth)
        => !first.IsNull ? first : !second.IsNull ? second : !third.IsNull ? third : OrNull(fourth);

    // As the params overload: no value at all when every one is null.
    private static MappedValue OrNull(MappedValue last) => last.IsNull ? Null : last;

    /// <summary>The first non-null value (<c>first_of</c>); the overloads for two to four values allocate no array.</summary>
    public static MappedValue FirstOf(params MappedValue[] values) => values.FirstOrDefault(v => !v.IsNull);
}
