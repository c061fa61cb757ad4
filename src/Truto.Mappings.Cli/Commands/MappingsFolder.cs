using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Interpreter.Loading;

namespace Truto.Mappings.Cli.Commands;

/// <summary>
/// The files the build gives the generator: every <c>*.yaml</c>/<c>*.yml</c> under the mappings
/// folder, the schema at <c>unified/crm/contacts.yaml</c> and the providers under a <c>providers/</c> folder.
/// </summary>
internal sealed class MappingsFolder(DirectoryInfo folder)
{
    public string SchemaPath { get; } = Path.Combine(folder.FullName, "unified", "crm", "contacts.yaml");

    /// <summary>The provider files, relative to the current directory when they are under it (as people type them).</summary>
    public IReadOnlyList<string> ProviderFiles()
    {
        if (!folder.Exists)
        {
            throw new CliException($"The mappings folder '{folder.FullName}' does not exist; run from the project folder or pass --folder.");
        }
        return [.. folder.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => IsYaml(f.Name) && f.FullName.Replace('\\', '/').Contains("/providers/", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Environment.CurrentDirectory, f.FullName))
            .Order(StringComparer.Ordinal)];
    }

    public static bool IsYaml(string path)
        => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The interpreted adapter of <paramref name="provider"/>: a provider file's path, or an integration
    /// name among the folder's providers. Its file's diagnostics, if any, are what the caller prints instead.
    /// </summary>
    public (InterpretedAdapter? Adapter, IReadOnlyList<MappingDiagnostic> Diagnostics) Find(string provider)
    {
        if (IsYaml(provider) && File.Exists(provider))
        {
            var single = MappingFiles.Load(SchemaPath, [provider]);
            return (single.Adapters.Count > 0 ? single.Adapters[0] : null, single.Diagnostics);
        }
        var load = MappingFiles.Load(SchemaPath, ProviderFiles());
        if (load.Adapters.FirstOrDefault(a => a.Info.Name == provider) is { } adapter)
        {
            return (adapter, []);
        }
        // Not valid, or not there: its file's errors if a file of that name has some, else what there is.
        var ofFile = load.Diagnostics.Where(d => Path.GetFileNameWithoutExtension(d.FilePath) == provider).ToList();
        if (ofFile.Count > 0)
        {
            return (null, ofFile);
        }
        throw new CliException($"No valid provider named '{provider}' in {SchemaFolder()}; the providers are {string.Join(", ", load.Adapters.Select(a => a.Info.Name).Order(StringComparer.Ordinal))}.");
    }

    private string SchemaFolder() => Path.GetRelativePath(Environment.CurrentDirectory, folder.FullName);
}
