using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Truto.Mappings.Json;

/// <summary>
/// The named transforms of the mapping format. Each is a plain static method that generated code
/// calls directly; <see cref="TransformCatalog"/> names them (adding one means a line there, a
/// method here and a row in the docs' transform table).
/// </summary>
public static class MappingTransforms
{
    private const decimal MinUnixMilliseconds = -62_135_596_800_000m;
    private const decimal EndUnixMilliseconds = 253_402_300_800_000m; // exclusive: 10000-01-01

    /// <summary><c>to_string</c>: scalars as text; objects and arrays by their JSON.</summary>
    public static MappedValue ToText(MappedValue value)
        => value.IsNull ? value : MappedValue.From(value.AsText() ?? value.Element!.Value.GetRawText());

    /// <summary><c>epoch_seconds</c>: a Unix time in seconds (number or numeric text) to ISO-8601 UTC.</summary>
    public static MappedValue EpochSeconds(MappedValue value) => FromEpoch(value, 1000m);

    /// <summary><c>epoch_milliseconds</c>: a Unix time in milliseconds to ISO-8601 UTC.</summary>
    public static MappedValue EpochMilliseconds(MappedValue value) => FromEpoch(value, 1m);

    /// <summary><c>join('sep')</c>: the scalars of an array joined; a scalar stays as it is.</summary>
    public static MappedValue Join(MappedValue value, string separator)
    {
        if (value.Element is { ValueKind: JsonValueKind.Array } array)
        {
            var parts = array.EnumerateArray().Select(e => JsonNavigation.AsText(e)).Where(t => !string.IsNullOrEmpty(t));
            return MappedValue.From(string.Join(separator, parts));
        }
        return value;
    }

    /// <summary><c>trim</c>: surrounding white space removed; empty becomes null.</summary>
    public static MappedValue Trim(MappedValue value)
    {
        var text = value.AsText()?.Trim();
        return MappedValue.From(string.IsNullOrEmpty(text) ? null : text);
    }

    /// <summary><c>lowercase</c>: invariant lower case.</summary>
    public static MappedValue Lowercase(MappedValue value) => MappedValue.From(value.AsText()?.ToLowerInvariant());

    /// <summary>
    /// yyyy-MM-ddTHH:mm:ssZ, with .fff when there are milliseconds: the sortable standard format (a fast
    /// path of the formatter; a custom pattern is parsed on every call), then the milliseconds and the Z.
    /// </summary>
    private static string IsoUtc(DateTimeOffset time)
    {
        Span<char> text = stackalloc char[24];
        time.UtcDateTime.TryFormat(text, out var length, "s", CultureInfo.InvariantCulture);
        if (time.Millisecond != 0)
        {
            text[length++] = '.';
            time.Millisecond.TryFormat(text[length..], out var digits, "D3", CultureInfo.InvariantCulture);
            length += digits;
        }
        text[length++] = 'Z';
        return new string(text[..length]);
    }

    /// <summary>A number or numeric text as a decimal; a JSON number is read from its bytes, without making its text.</summary>
    private static bool TryReadDecimal(MappedValue value, out decimal number)
    {
        if (value.Text is null && value.Element is { ValueKind: JsonValueKind.Number } element)
        {
            return decimal.TryParse(JsonMarshal.GetRawUtf8Value(element), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }
        number = 0;
        return value.AsText() is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static MappedValue FromEpoch(MappedValue value, decimal millisecondsPerUnit)
    {
        if (!TryReadDecimal(value, out var units))
        {
            return MappedValue.Null;
        }
        // Bounds checked before scaling: a decimal near its maximum times 1000 would overflow.
        if (units < MinUnixMilliseconds / millisecondsPerUnit || units >= EndUnixMilliseconds / millisecondsPerUnit)
        {
            return MappedValue.Null;
        }
        // Floor, not truncation: -0.5 ms lies in the millisecond before the epoch, not at it.
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Floor(units * millisecondsPerUnit));
        return MappedValue.From(IsoUtc(time));
    }
}
