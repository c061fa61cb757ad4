using Truto.Mappings.Testing;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>The repository's provider YAML files, read as YAML: for tests that derive per-provider expectations from them instead of listing providers.</summary>
internal static class ProviderFiles
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..", ".."));

    /// <summary><c>mappings/providers</c>.</summary>
    public static string Directory { get; } = Path.Combine(Root, "mappings", "providers");

    /// <summary>Each provider file's root mapping, by its <c>name:</c>, ordered by name.</summary>
    public static IReadOnlyList<(string Name, YamlMappingNode Root)> All { get; } = Read();

    /// <summary>The scalar at <paramref name="path"/> (keys from the root), or null.</summary>
    public static string? Scalar(YamlMappingNode root, params string[] path) => (Node(root, path) as YamlScalarNode)?.Value;

    /// <summary>The node at <paramref name="path"/> (keys from the root), or null.</summary>
    public static YamlNode? Node(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    private static List<(string, YamlMappingNode)> Read()
        => System.IO.Directory.EnumerateFiles(Directory, "*.yaml")
            .Select(file =>
            {
                var yaml = new YamlStream();
                yaml.Load(new StringReader(File.ReadAllText(file)));
                var root = (YamlMappingNode)yaml.Documents[0].RootNode;
                return (Scalar(root, "name") ?? throw new InvalidDataException($"{file} has no name."), root);
            })
            .OrderBy(p => p.Item1, StringComparer.Ordinal)
            .ToList();
}
