using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// A provider's declared context keys as the meta endpoint lists them, for people and forms that
/// connect an account: name, type, secret, label, help, required and, for URL-forming keys, shape.
/// </summary>
public static class ContextKeysJson
{
    /// <summary>One object per declared key, in the declaration's order.</summary>
    public static JsonArray Describe(IReadOnlyList<ContextKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new JsonArray(keys.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["type"] = TypeName(k.Type),
            ["secret"] = k.Secret,
            ["label"] = k.Label,
            ["help"] = k.Help,
            ["required"] = k.Required,
            ["shape"] = k.Shape is { } shape ? Shape(shape) : null,
        }).ToArray());
    }

    /// <summary>The YAML's spelling of a type (<c>string</c>, <c>number</c>, <c>boolean</c>).</summary>
    private static string TypeName(ContextValueType type) => type switch
    {
        ContextValueType.Number => "number",
        ContextValueType.Boolean => "boolean",
        _ => "string",
    };

    /// <summary>The YAML's spelling of a shape kind: <c>DnsLabel</c> → <c>dns_label</c>.</summary>
    private static string SnakeCase(string name)
        => string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "_") + char.ToLowerInvariant(c) : c.ToString()));

    private static JsonObject Shape(ContextShape shape)
    {
        var json = new JsonObject
        {
            ["kind"] = SnakeCase(shape.Kind.ToString()),
        };
        if (shape.Kind == ContextShapeKind.OneOf)
        {
            json["values"] = new JsonArray(shape.Values.Select(v => (JsonNode)v).ToArray());
        }
        return json;
    }
}
