namespace Truto.Mappings.Generator;

/// <summary>Names of the pipeline steps, so tests can check what each run recomputed.</summary>
public static class TrackingNames
{
    /// <summary>Each YAML file's path and text.</summary>
    public const string Files = nameof(Files);

    /// <summary>The parsed unified schema (or its diagnostics).</summary>
    public const string Schema = nameof(Schema);

    /// <summary>The schema as providers are checked against it: names, types and shapes, no descriptions.</summary>
    public const string ProviderSchema = nameof(ProviderSchema);

    /// <summary>Each provider file, parsed and validated against the schema (with where its name is declared).</summary>
    public const string ProviderModels = nameof(ProviderModels);

    /// <summary>Each provider's model and diagnostics, without locations outside diagnostics: what its adapter is emitted from.</summary>
    public const string ProviderSources = nameof(ProviderSources);

    /// <summary>Every provider's name and where it is declared, for the duplicate-name check.</summary>
    public const string ProviderDeclarations = nameof(ProviderDeclarations);

    /// <summary>The names, files and methods of all providers, for the registry.</summary>
    public const string AllProviders = nameof(AllProviders);
}
