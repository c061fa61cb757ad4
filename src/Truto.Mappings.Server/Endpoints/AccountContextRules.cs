using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The check every context passes before it is stored — create, update (<c>PATCH</c>), the CLI and
/// sandbox mode: a JSON object, valid for its provider's declaration and the egress policy
/// (<see cref="AccountContextValidator"/>). The answer is the 400 naming the key (<c>context.region</c>).
/// </summary>
public static class AccountContextRules
{
    /// <summary>The 400 that refuses <paramref name="context"/> for <paramref name="adapter"/>'s provider, or null when it may be stored.</summary>
    public static TrutoError? Validate(AccountContextValidator validator, ProviderAdapter adapter, JsonNode? context)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(adapter);
        if (context is not null and not JsonObject)
        {
            return TrutoError.BadRequest("context", "context must be a JSON object.");
        }
        return validator.Validate(adapter, JsonSerializer.SerializeToElement(context ?? new JsonObject()));
    }
}
