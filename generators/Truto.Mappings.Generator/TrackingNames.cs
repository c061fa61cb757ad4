namespace Truto.Mappings.Generator;

/// <summary>Names of the pipeline steps, so tests can check what each run recomputed.</summary>
public static class TrackingNames
{
    /// <summary>Each YAML file's path and text.</summary>
    public const string Files = nameof(Files);

    /// <summary>The parsed unified schema (or its diagnostics).</summary>
    public const string Schema = nameof(Schema);

    /// <summary>Each provider file, parsed and validated against the schema.</summary>
    public const string ProviderModels = nameof(ProviderModels);

    /// <summary>The names and files of all providers, for the registry and duplicate checks.</summary>
    public const string AllProviders = nameof(AllProviders);
}
