using System.Text.Json;
using Truto.Mappings.Json;

namespace Truto.Mappings.Formats;

/// <summary>
/// Writes unified fields straight to a <see cref="Utf8JsonWriter"/>, applying
/// <c>truto_exclude_fields</c> (dotted paths too) and the normalized format's "no nulls" rule.
/// Generated <c>WriteContact</c> methods call it; no dictionaries are built.
/// </summary>
public sealed class ContactWriter
{
    private readonly Utf8JsonWriter _writer;
    private readonly FieldSelection _selection;
    private readonly Stack<string> _prefixes = new();

    /// <summary>Creates a writer over <paramref name="writer"/> with the request's field selection.</summary>
    public ContactWriter(Utf8JsonWriter writer, FieldSelection selection)
    {
        _writer = writer;
        _selection = selection;
    }

    /// <summary>The underlying JSON writer.</summary>
    public Utf8JsonWriter Json => _writer;

    /// <summary>True when the field (relative to the current object) is to be written.</summary>
    public bool Includes(string name) => !_selection.Excludes(Qualify(name));

    /// <summary>Writes a string field (scalars as their text; objects and arrays as null).</summary>
    public void WriteString(string name, MappedValue value)
    {
        var text = value.AsText();
        if (!Includes(name) || (text is null && _selection.OmitNulls))
        {
            return;
        }
        if (text is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, text);
        }
    }

    /// <summary>Writes a boolean field (JSON booleans and "true"/"false" text).</summary>
    public void WriteBoolean(string name, MappedValue value)
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
    public void WriteNumber(string name, MappedValue value)
    {
        var text = value.AsText();
        var isNumber = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number);
        if (!Includes(name) || (!isNumber && _selection.OmitNulls))
        {
            return;
        }
        _writer.WritePropertyName(name);
        if (!isNumber)
        {
            _writer.WriteNullValue();
        }
        else if (value.Element is { ValueKind: JsonValueKind.Number } element)
        {
            // A JSON number keeps its exact text ("1e3", "-0.50").
            element.WriteTo(_writer);
        }
        else
        {
            // Numeric text need not be JSON syntax ("+5", ".5", "007", " 7 "): written as the number it reads as.
            _writer.WriteNumberValue(number);
        }
    }

    /// <summary>Writes a record field (<c>Record&lt;string, any&gt;</c>): a JSON object copied as is.</summary>
    public void WriteRecord(string name, MappedValue value)
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
    public void WriteJson(string name, JsonElement value)
    {
        if (!Includes(name))
        {
            return;
        }
        _writer.WritePropertyName(name);
        WriteFiltered(value, Qualify(name));
    }

    private void WriteFiltered(JsonElement value, string path)
    {
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
    public bool BeginObject(string name)
    {
        if (!Includes(name))
        {
            return false;
        }
        _writer.WriteStartObject(name);
        _prefixes.Push(Qualify(name));
        return true;
    }

    /// <summary>Ends the object begun by <see cref="BeginObject"/>.</summary>
    public void EndObject()
    {
        _prefixes.Pop();
        _writer.WriteEndObject();
    }

    /// <summary>Starts an array field of objects; false when it is excluded.</summary>
    public bool BeginArray(string name)
    {
        if (!Includes(name))
        {
            return false;
        }
        _writer.WriteStartArray(name);
        _prefixes.Push(Qualify(name));
        return true;
    }

    /// <summary>Starts one object inside the current array.</summary>
    public void BeginItem() => _writer.WriteStartObject();

    /// <summary>Ends the current array item.</summary>
    public void EndItem() => _writer.WriteEndObject();

    /// <summary>Ends the array begun by <see cref="BeginArray"/>.</summary>
    public void EndArray()
    {
        _prefixes.Pop();
        _writer.WriteEndArray();
    }

    private string Qualify(string name) => _prefixes.Count == 0 ? name : _prefixes.Peek() + "." + name;
}
