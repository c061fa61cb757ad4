using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Adapters;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The integrated-account JSON the admin API answers with. The context shows only what the
/// provider declares non-secret (<see cref="ContextRedaction"/>): credentials go in, never come out.
/// </summary>
public static class AccountResponses
{
    /// <summary>What replaces a value that is not shown.</summary>
    public const string Redacted = ContextRedaction.Redacted;

    /// <summary>The account as reads answer it, its context redacted by its provider's declaration.</summary>
    public static JsonObject ToJson(StoredAccount account, ProviderCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(catalog);
        var json = new JsonObject
        {
            ["id"] = account.Id,
            ["integration"] = account.Integration,
            ["tenant_id"] = account.TenantId,
            ["status"] = account.Status,
            ["created_at"] = account.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            // An integration no longer known declares nothing: its whole context is redacted.
            ["context"] = ContextRedaction.Redact(JsonNode.Parse(account.Context), catalog.Find(account.Integration)?.Info.Context ?? []),
        };
        // needs_reauth: the provider's reason and since when, so an operator knows what to fix.
        if (account.StatusMessage is { } message)
        {
            json["status_message"] = message;
        }
        if (account.StatusAt is { } at)
        {
            json["status_at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }
        return json;
    }

    public static string Serialize(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
