using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The integrated-account JSON the admin API answers with. Context values whose key names a
/// secret (token, secret, password, key, credential) are replaced by <c>"[redacted]"</c> at any
/// depth: credentials go in, never come out.
/// </summary>
public static partial class AccountResponses
{
    public const string Redacted = "[redacted]";

    public static JsonObject ToJson(StoredAccount account) => new()
    {
        ["id"] = account.Id,
        ["integration"] = account.Integration,
        ["tenant_id"] = account.TenantId,
        ["status"] = account.Status,
        ["created_at"] = account.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["context"] = Redact(JsonNode.Parse(account.Context)),
    };

    public static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    obj[name] = SecretName().IsMatch(name) && value is not JsonObject ? Redacted : Redact(value?.DeepClone());
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Redact(array[i]?.DeepClone());
                }
                return array;
            default:
                return node;
        }
    }

    [GeneratedRegex("token|secret|password|passwd|key|credential|authorization", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    public static string Serialize(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
