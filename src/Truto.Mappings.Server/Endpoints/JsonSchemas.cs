using System.Text.Json.Nodes;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// JSON Schemas of the unified model and parameters, from the generated schema metadata: the meta
/// responses show them, and the OpenAPI description is converted from them.
/// </summary>
public static class JsonSchemas
{
    public static JsonObject ForObject(IEnumerable<UnifiedField> fields)
    {
        var list = fields.ToList();
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(list.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)Field(f)))),
            ["required"] = new JsonArray(list.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray()),
        };
    }

    private static JsonObject Field(UnifiedField field)
    {
        var schema = field.Type switch
        {
            UnifiedFieldType.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            UnifiedFieldType.Boolean => new JsonObject { ["type"] = "boolean" },
            UnifiedFieldType.Number => new JsonObject { ["type"] = "number" },
            UnifiedFieldType.Object => ForObject(field.Properties),
            UnifiedFieldType.Array => new JsonObject { ["type"] = "array", ["items"] = ForObject(field.Properties) },
            UnifiedFieldType.Record => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
            _ => new JsonObject { ["type"] = "string" },
        };
        schema["description"] = field.Description;
        return schema;
    }

    public static JsonObject Parameters(IEnumerable<UnifiedParameter> parameters)
    {
        var list = parameters.ToList();
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(list.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Parameter(p)))),
            ["required"] = new JsonArray(list.Where(p => p.Required).Select(p => (JsonNode)p.Name).ToArray()),
        };
    }

    private static JsonObject Parameter(UnifiedParameter parameter)
    {
        var schema = parameter.Type switch
        {
            "string · uuid" => new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            "boolean" => new JsonObject { ["type"] = "boolean" },
            "string[]" or "array" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            "Record<string, any>" => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
            _ => new JsonObject { ["type"] = "string" },
        };
        schema["description"] = parameter.Description;
        if (parameter.Values.Count > 0)
        {
            schema["enum"] = new JsonArray(parameter.Values.Select(v => (JsonNode)v).ToArray());
        }
        if (parameter.Example is not null)
        {
            schema["example"] = parameter.Example;
        }
        return schema;
    }
}
