using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Truto.Mappings.Json;

namespace Truto.Mappings.Formats;

/// <summary>
/// Writes unified fields straight to a <see cref="Utf8JsonWriter"/>, applying
/// <c>truto_exclude_fields</c> (dotted paths too) and the normalized format's "no nulls" rule.
/// Generated <c>WriteContact</c> methods call it with cached <see cref="JsonEncodedText"/> names; no
/// dictionaries are built, and without exclusions no field path is built either.
/// </summary>
public sealed class ContactWriter
{
    private readonly Utf8JsonWriter _writer;
    private readonly FieldSelection _selection;

    // The dotted paths of the objects and arrays begun, kept only when something is excluded.
    private readonly Stack<string>? _prefixes;

    /// <summary>Creates a writer over <paramref name="writer"/> with the request's field selection.</summary>
    public ContactWriter(Utf8JsonWriter writer, FieldSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        _writer = writer;
        _selection = selection;
        _prefixes = selection.ExcludesAny ? new Stack<string>() : null;
    }

    /// <summary>
    /// A field name encoded once, escaped as the runtime's answers escape text: what generated
    /// adapters keep in static fields and pass to the writing methods.
    /// </summary>
    public static JsonEncodedText EncodeName(string name) => JsonEncodedText.Encode(name, ResponseWriter.WriterOptions.Encoder);

    /// <summary>The underlying JSON writer.</summary>
    public Utf8JsonWriter Json => _writer;

    /// <summary>True when the field (relative to the current object) is to be written.</summary>
    public bool Includes(string name) => _prefixes is null || !_selection.Excludes(Qualify(name));

    private bool Includes(JsonEncodedText name) => _prefixes is null || !_selection.Excludes(Qualify(name.Value));

    /// <summary>Writes a string field (scalars as their text; objects and arrays as null).</summary>
    public void WriteString(string name, MappedValue value) => WriteString(Encode(name), value);

    /// <summary>Writes a string field (scalars as their text; objects and arrays as null).</summary>
    public void WriteString(JsonEncodedText name, MappedValue value)
    {
        if (!Includes(name))
        {
            return;
        }
        if (value.Text is { } text)
        {
            _writer.WriteString(name, text);
        }
        else if (value.Element is { ValueKind: JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } scalar)
        {
            WriteScalarText(name, scalar);
        }
        else if (!_selection.OmitNulls)
        {
            _writer.WriteNull(name);
        }
    }

    /// <summary>
    /// A scalar's text written from the document's UTF-8 bytes: no string is made. A string is
    /// copied when it holds no escape (its bytes are then its text, and the writer escapes them as
    /// it would the same text given as a string); numbers and booleans are their JSON text.
    /// </summary>
    private void WriteScalarText(JsonEncodedText name, JsonElement scalar)
    {
        var raw = JsonMarshal.GetRawUtf8Value(scalar);
        if (scalar.ValueKind != JsonValueKind.String)
        {
            _writer.WriteString(name, raw);
            return;
        }
        var unquoted = raw[1..^1];
        if (unquoted.IndexOf((byte)'\\') < 0)
        {
            _writer.WriteString(name, unquoted);
        }
        else
        {
            _writer.WriteString(name, scalar.GetString());
        }
    }

    /// <summary>Writes a boolean field (JSON booleans and "true"/"false" text).</summary>
    public void WriteBoolean(string name, MappedValue value) => WriteBoolean(Encode(name), value);

    /// <summary>Writes a boolean field (JSON booleans and "true"/"false" text).</summary>
    public void WriteBoolean(JsonEncodedText name, MappedValue value)
    {
        bool? flag = value.Element?.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => bool.TryParse(value.AsText(), out var parsed) ? parsed : null,
        };
        if (!Includes(name) || (flag is null && _selection.OmitNulls))
        {
            return;
        }
        if (flag is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteBoolean(name, flag.Value);
        }
    }

    /// <summary>Writes a number field (JSON numbers and numeric text).</summary>
    public void WriteNumber(string name, MappedValue value) => WriteNumber(Encode(name), value);

    /// <summary>Writes a number field (JSON numbers and numeric text).</summary>
    public void WriteNumber(JsonEncodedText name, MappedValue value)
    {
        if (!Includes(name))
        {
            return;
        }
        if (value.Element is { ValueKind: JsonValueKind.Number } element)
        {
            // A JSON number keeps its exact text ("1e3", "-0.50") when it reads as a decimal.
            if (decimal.TryParse(JsonMarshal.GetRawUtf8Value(element), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                _writer.WritePropertyName(name);
                element.WriteTo(_writer);
            }
            else if (!_selection.OmitNulls)
            {
                _writer.WriteNull(name);
            }
            return;
        }
        var isNumber = decimal.TryParse(value.AsText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        if (!isNumber && _selection.OmitNulls)
        {
            return;
        }
        _writer.WritePropertyName(name);
        if (!isNumber)
        {
            _writer.WriteNullValue();
        }
        else
        {
            // Numeric text need not be JSON syntax ("+5", ".5", "007", " 7 "): written as the number it reads as.
            _writer.WriteNumberValue(number);
        }
    }

    /// <summary>Writes a record field (<c>Record&lt;string, any&gt;</c>): a JSON object copied as is.</summary>
    public void WriteRecord(string name, MappedValue value) => WriteRecord(Encode(name), value);

    /// <summary>Writes a record field (<c>Record&lt;string, any&gt;</c>): a JSON object copied as is.</summary>
    public void WriteRecord(JsonEncodedText name, MappedValue value)
    {
        var isObject = value.Element is { ValueKind: JsonValueKind.Object };
        if (!Includes(name) || (!isObject && _selection.OmitNulls))
        {
            return;
        }
        _writer.WritePropertyName(name);
        if (isObject)
        {
            value.Element!.Value.WriteTo(_writer);
        }
        else
        {
            _writer.WriteNullValue();
        }
    }

    /// <summary>
    /// Writes provider JSON as a field (<c>remote_data</c>), leaving out excluded dotted paths inside
    /// it (<c>remote_data.errors</c>); arrays pass the path on to their items.
    /// </summary>
    public void WriteJson(string name, JsonElement value) => WriteJson(Encode(name), value);

    /// <summary>
    /// Writes provider JSON as a field (<c>remote_data</c>), leaving out excluded dotted paths inside
    /// it (<c>remote_data.errors</c>); arrays pass the path on to their items.
    /// </summary>
    public void WriteJson(JsonEncodedText name, JsonElement value)
    {
        if (!Includes(name))
        {
            return;
        }
        _writer.WritePropertyName(name);
        if (_prefixes is null)
        {
            value.WriteTo(_writer);
            return;
        }
        WriteFiltered(value, Qualify(name.Value));
    }

    /// <summary>
    /// Copies <paramref name="value"/> (at <paramref name="path"/>, not excluded itself): whole when no
    /// exclusion lies under its path, else member by member, building paths only down to where an
    /// exclusion can still match.
    /// </summary>
    private void WriteFiltered(JsonElement value, string path)
    {
        if (!_selection.ExcludesInside(path))
        {
            value.WriteTo(_writer);
            return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                _writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    var child = path + "." + property.Name;
                    if (!_selection.Excludes(child))
                    {
                        _writer.WritePropertyName(property.Name);
                        WriteFiltered(property.Value, child);
                    }
                }
                _writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                _writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteFiltered(item, path);
                }
                _writer.WriteEndArray();
                break;
            default:
                value.WriteTo(_writer);
                break;
        }
    }

    /// <summary>Starts a nested object field; false (write nothing) when it is excluded.</summary>
    public bool BeginObject(string name) => BeginObject(Encode(name));

    /// <summary>Starts a nested object field; false (write nothing) when it is excluded.</summary>
    public bool BeginObject(JsonEncodedText name)
    {
        if (!Includes(name))
        {
            return false;
        }
        _writer.WriteStartObject(name);
        _prefixes?.Push(Qualify(name.Value));
        return true;
    }

    /// <summary>Ends the object begun by <see cref="BeginObject(JsonEncodedText)"/>.</summary>
    public void EndObject()
    {
        _prefixes?.Pop();
        _writer.WriteEndObject();
    }

    /// <summary>Starts an array field of objects; false when it is excluded.</summary>
    public bool BeginArray(string name) => BeginArray(Encode(name));

    /// <summary>Starts an array field of objects; false when it is excluded.</summary>
    public bool BeginArray(JsonEncodedText name)
    {
        if (!Includes(name))
        {
            return false;
        }
        _writer.WriteStartArray(name);
        _prefixes?.Push(Qualify(name.Value));
        return true;
    }

    /// <summary>Starts one object inside the current array.</summary>
    public void BeginItem() => _writer.WriteStartObject();

    /// <summary>Ends the current array item.</summary>
    public void EndItem() => _writer.WriteEndObject();

    /// <summary>Ends the array begun by <see cref="BeginArray(JsonEncodedText)"/>.</summary>
    public void EndArray()
    {
        _prefixes?.Pop();
        _writer.WriteEndArray();
    }

    // A name given as text is escaped as the writer would escape it.
    private JsonEncodedText Encode(string name) => JsonEncodedText.Encode(name, _writer.Options.Encoder);

    private string Qualify(string name) => _prefixes is not { Count: > 0 } prefixes ? name : prefixes.Peek() + "." + name;
}
