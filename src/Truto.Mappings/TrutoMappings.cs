using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Providers;
using Truto.Mappings.Unified;

namespace Truto.Mappings;

/// <summary>The entry points of the generated library: DI registration and typed results.</summary>
public static class TrutoMappings
{
    /// <summary>
    /// Adds <see cref="UnifiedContactsClient"/> with every provider compiled from
    /// <c>mappings/providers/*.yaml</c>.
    /// </summary>
    public static IServiceCollection AddTrutoMappings(this IServiceCollection services, Action<TrutoMappingsOptions>? configure = null)
        => services.AddTrutoMappingsRuntime(GeneratedProviders.Operations, configure);

    /// <summary>The deleted contact of a successful delete.</summary>
    public static Contact ReadContact(this UnifiedResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var document = result.EnsureSuccess().ParseJson();
        return Contact.FromJson(document.RootElement);
    }

    /// <summary>The deleted contacts (<c>result</c>) of a successful batch-delete.</summary>
    public static IReadOnlyList<Contact> ReadContacts(this UnifiedResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var document = result.EnsureSuccess().ParseJson();
        return document.RootElement.TryGetProperty("result"u8, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Select(Contact.FromJson).ToList()
            : [];
    }
}
