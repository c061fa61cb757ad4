using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator;

/// <summary>
/// The schema as every provider parse takes it: the projection providers are checked against, or
/// none, with <see cref="Missing"/> telling an absent schema file (TM0012 at each provider) from
/// a broken one (which reports its own errors). Holds no descriptions and no locations.
/// </summary>
internal sealed record SchemaForProviders(ProviderSchema? Schema, bool Missing)
{
    public static SchemaForProviders From(SchemaResult result)
        => new(result.Schema is { } schema ? ProviderSchema.From(schema) : null, result.Schema is null && result.Diagnostics.Count == 0);
}
