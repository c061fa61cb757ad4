using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Truto.Mappings.Server.OpenApi;

/// <summary>
/// Turns the JSON Schemas of <see cref="Endpoints.JsonSchemas"/> (built from the generated schema
/// metadata, shown by the meta endpoints) into the OpenAPI object model, so both describe the
/// API from one source. Only the keywords <see cref="Endpoints.JsonSchemas"/> writes are read.
/// </summary>
public static class JsonSchemaConverter
{
    public static OpenApiSchema Convert(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = new OpenApiSchema
        {
            Type = Type((string?)schema["type"]),
            Format = (string?)schema["format"],
            Description = (string?)schema["description"],
        };
        if (schema["example"] is { } example)
        {
            result.Examples = [example.DeepClone()];
        }
        if (schema["enum"] is JsonArray values)
        {
            result.Enum = values.Select(v => v!.DeepClone()).ToList();
        }
        if (schema["properties"] is JsonObject properties)
        {
            result.Properties = properties.ToDictionary(p => p.Key, p => (IOpenApiSchema)Convert(p.Value!.AsObject()));
        }
        if (schema["required"] is JsonArray { Count: > 0 } required)
        {
            result.Required = new HashSet<string>(required.Select(r => (string)r!));
        }
        if (schema["items"] is JsonObject items)
        {
            result.Items = Convert(items);
        }
        if (schema["additionalProperties"] is JsonValue any && any.GetValue<bool>())
        {
            // Any value: a record of the caller's or provider's own data.
            result.AdditionalProperties = new OpenApiSchema();
        }
        return result;
    }

    /// <summary>The parameters of a <see cref="Endpoints.JsonSchemas.Parameters"/> object, one by one.</summary>
    public static IEnumerable<(string Name, bool Required, OpenApiSchema Schema)> Properties(JsonObject objectSchema)
    {
        ArgumentNullException.ThrowIfNull(objectSchema);
        var required = objectSchema["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        foreach (var (name, schema) in objectSchema["properties"]!.AsObject())
        {
            yield return (name, required.Contains(name), Convert(schema!.AsObject()));
        }
    }

    private static JsonSchemaType? Type(string? type) => type switch
    {
        "string" => JsonSchemaType.String,
        "boolean" => JsonSchemaType.Boolean,
        "number" => JsonSchemaType.Number,
        "integer" => JsonSchemaType.Integer,
        "object" => JsonSchemaType.Object,
        "array" => JsonSchemaType.Array,
        _ => null,
    };
}
