using System.Globalization;
using System.Text.Json;

namespace Truto.Mappings.Json;

/// <summary>
/// Reading and writing the typed unified model (the generated <c>Contact</c> and its parts).
/// Generated <c>FromJson</c>/<c>WriteTo</c> methods call these, one per field, so the model needs
/// no reflection-based serializer.
/// </summary>
public static class UnifiedJson
{
    /// <summary>A string field (scalars as their text).</summary>
    public static string? ReadString(JsonElement obj, ReadOnlySpan<byte> name)
        => JsonNavigation.AsText(JsonNavigation.Property(obj, name));

    /// <summary>A date-time field; text that is not a date-time reads as null.</summary>
    public static DateTimeOffset? ReadDateTime(JsonElement obj, ReadOnlySpan<byte> name)
        => DateTimeOffset.TryParse(ReadString(obj, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    /// <summary>A boolean field (JSON booleans and "true"/"false").</summary>
    public static bool? ReadBoolean(JsonElement obj, ReadOnlySpan<byte> name)
        => bool.TryParse(ReadString(obj, name), out var value) ? value : null;

    /// <summary>A number field (JSON numbers and numeric text).</summary>
    public static decimal? ReadNumber(JsonElement obj, ReadOnlySpan<byte> name)
        => decimal.TryParse(ReadString(obj, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A record field (<c>Record&lt;string, any&gt;</c>), detached from its document.</summary>
    public static JsonElement? ReadRecord(JsonElement obj, ReadOnlySpan<byte> name)
        => JsonNavigation.Property(obj, name) is { ValueKind: JsonValueKind.Object } value ? value.Clone() : null;

    /// <summary>A nested object field.</summary>
    public static T? ReadObject<T>(JsonElement obj, ReadOnlySpan<byte> name, Func<JsonElement, T> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        return JsonNavigation.Property(obj, name) is { ValueKind: JsonValueKind.Object } value ? read(value) : null;
    }

    /// <summary>An array-of-objects field.</summary>
    public static IReadOnlyList<T>? ReadArray<T>(JsonElement obj, ReadOnlySpan<byte> name, Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return JsonNavigation.Property(obj, name) is { ValueKind: JsonValueKind.Array } value
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(read).ToList()
            : null;
    }

    /// <summary>Writes a string field unless it is null.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes a date-time field (ISO-8601) unless it is null.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
    }

    /// <summary>Writes a boolean field unless it is null.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
    }

    /// <summary>Writes a number field unless it is null.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, decimal? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>Writes a record field unless it is null.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WritePropertyName(name);
            v.WriteTo(writer);
        }
    }

    /// <summary>Writes an array-of-objects field unless it is null.</summary>
    public static void Write<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<T>? items, Action<T, Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(write);
        if (items is null)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            write(item, writer);
        }
        writer.WriteEndArray();
    }
}
