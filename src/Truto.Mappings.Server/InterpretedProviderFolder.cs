using Truto.Mappings.Adapters;
using Truto.Mappings.Interpreter;
using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Interpreter.Loading;
using Truto.Mappings.Operations;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server;

/// <summary>
/// <c>Mappings:InterpretedFolder</c>: a mappings folder (<c>providers/*.yaml</c>, the schema at
/// <c>unified/crm/contacts.yaml</c>) whose providers are loaded at start through the interpreter,
/// beside the compiled ones — for trying a provider file on a running server without a build. A file
/// with errors stops the start (the diagnostics are the build's); each interpreted provider is
/// logged at start and marked in its meta (<c>interpreted_from</c>).
/// </summary>
internal static partial class InterpretedProviderFolder
{
    public const string Setting = "Mappings:InterpretedFolder";

    /// <summary>The interpreted providers' operation table, or none when the setting is not set.</summary>
    /// <exception cref="StartupException">The folder or a file in it is wrong; the message lists every diagnostic.</exception>
    public static IReadOnlyList<OperationTable> Load(IConfiguration configuration)
    {
        if (configuration[Setting] is not { Length: > 0 } folder)
        {
            return [];
        }
        var providers = Path.Combine(folder, "providers");
        if (!Directory.Exists(providers))
        {
            throw new StartupException($"{Setting} is '{folder}', which has no providers folder.");
        }
        var load = MappingFiles.Load(
            Path.Combine(folder, "unified", "crm", "contacts.yaml"),
            Directory.EnumerateFiles(providers, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)));
        if (load.HasErrors)
        {
            throw new StartupException($"{Setting}: the provider files in '{folder}' have errors:{Environment.NewLine}{string.Join(Environment.NewLine, load.Diagnostics)}");
        }
        // Said here, with the setting, rather than as the catalogue's exception from deep in the registration.
        var compiled = Truto.Mappings.Providers.GeneratedProviders.Operations.Providers.Select(p => p.Info.Name).ToHashSet(StringComparer.Ordinal);
        if (load.Adapters.FirstOrDefault(a => compiled.Contains(a.Info.Name)) is { } clash)
        {
            throw new StartupException($"{Setting}: '{Path.GetFileName(clash.FilePath)}' is named '{clash.Info.Name}', which a compiled provider already has; change its 'name:'.");
        }
        return [InterpretedProviders.Table(ContactsSchema.Resource, load.Adapters)];
    }

    /// <summary>One warning per interpreted provider, so an operator sees which providers run uncompiled.</summary>
    public static void LogInterpreted(ProviderCatalog catalog, ILogger logger)
    {
        foreach (var adapter in catalog.All.OfType<InterpretedAdapter>())
        {
            LogProvider(logger, adapter.Info.Name, adapter.FilePath, Setting);
        }
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Provider {Provider} is interpreted from {File} ({Setting}), not compiled: for trying a provider file, not for production.")]
    private static partial void LogProvider(ILogger logger, string provider, string file, string setting);
}
