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

    /// <summary>
    /// Adds <see cref="UnifiedContactsClient"/> with the built-in providers and the providers of
    /// <paramref name="projectProviders"/>: the <c>GeneratedProviders.Operations</c> the generator
    /// writes into a project (in its root namespace) from the project's own <c>mappings/providers/*.yaml</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A project provider has the integration name of a built-in one (or of another table's).</exception>
    public static IServiceCollection AddTrutoMappings(this IServiceCollection services, IEnumerable<Operations.OperationTable> projectProviders, Action<TrutoMappingsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(projectProviders);
        return services.AddTrutoMappingsRuntime([GeneratedProviders.Operations, .. projectProviders], configure);
    }

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
