extern alias generator;

using System.Buffers;
using System.Text.Json;
using generator::Truto.Mappings.Generator.Model;
using Truto.Mappings.Adapters;
using Truto.Mappings.Requests;

namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>A request-body template written with <see cref="Utf8JsonWriter"/>, node for node as the emitter's <c>WriteBodyValue</c>.</summary>
internal static class RequestBody
{
    public static ReadOnlyMemory<byte> Write(BodyNode body, RequestValues values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteValue(json, body, values, values.Id);
        }
        return buffer.WrittenMemory;
    }

    private static void WriteValue(Utf8JsonWriter json, BodyNode node, RequestValues values, string id)
    {
        switch (node.Kind)
        {
            case BodyKind.Object:
                json.WriteStartObject();
                foreach (var property in node.Properties)
                {
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value, values, id);
                }
                json.WriteEndObject();
                break;
            case BodyKind.Array:
                json.WriteStartArray();
                foreach (var item in node.Items)
                {
                    WriteValue(json, item, values, id);
                }
                json.WriteEndArray();
                break;
            case BodyKind.EachId:
                json.WriteStartArray();
                foreach (var each in values.Ids)
                {
                    WriteValue(json, node.Items[0], values, each);
                }
                json.WriteEndArray();
                break;
            case BodyKind.Literal:
                switch (node.Literal)
                {
                    case "null":
                        json.WriteNullValue();
                        break;
                    case "true":
                        json.WriteBooleanValue(true);
                        break;
                    case "false":
                        json.WriteBooleanValue(false);
                        break;
                    default:
                        json.WriteRawValue(node.Literal!);
                        break;
                }
                break;
            default:
                var template = node.Template!;
                var whole = template.IsSinglePlaceholder ? template.Parts[0].Placeholder : null;
                if (whole is { IsList: true })
                {
                    json.WriteStartArray();
                    foreach (var each in values.Ids)
                    {
                        Write(json, each, whole.AsNumber);
                    }
                    json.WriteEndArray();
                }
                else
                {
                    // Only a whole value can be `| number` (the parser refuses it inside text).
                    Write(json, TemplateText.Evaluate(template, TextPlace.Plain, values.Context, id, values.Ids), whole is { AsNumber: true });
                }
                break;
        }
    }

    /// <summary>A value as a JSON string, or through the runtime's number writer where the template says <c>| number</c>.</summary>
    private static void Write(Utf8JsonWriter json, string value, bool asNumber)
    {
        if (asNumber)
        {
            RequestNumbers.Write(json, value);
        }
        else
        {
            json.WriteStringValue(value);
        }
    }
}
