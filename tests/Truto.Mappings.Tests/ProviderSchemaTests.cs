using System.Text.Json;
using Truto.Mappings.Testing;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Tests;

/// <summary>
/// The editor schema (<c>mappings/schema/provider.schema.json</c>) must accept every real provider
/// file: each key a file uses is declared at that place, and required keys are present.
/// </summary>
public sealed class ProviderSchemaTests
{
    private static readonly string MappingsDirectory = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "mappings"));

    public static TheoryData<string> ProviderFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(MappingsDirectory, "providers"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProviderFiles))]
    public void Every_key_of_a_provider_file_is_declared_by_the_editor_schema(string file)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(MappingsDirectory, "schema", "provider.schema.json")));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(MappingsDirectory, "providers", file))));
        var problems = new List<string>();

        Check(schema.RootElement, schema.RootElement, yaml.Documents[0].RootNode, "", problems);

        Assert.Empty(problems);
    }

    private static void Check(JsonElement root, JsonElement schema, YamlNode node, string where, List<string> problems)
    {
        schema = Resolve(root, schema);
        if (node is not YamlMappingNode map)
        {
            return;
        }
        var objectSchema = schema.TryGetProperty("oneOf", out var choices)
            ? choices.EnumerateArray().Select(c => Resolve(root, c)).FirstOrDefault(c => c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "object")
            : schema;
        if (objectSchema.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: a mapping where the schema allows none");
            return;
        }
        var keys = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).ToHashSet(StringComparer.Ordinal);
        if (objectSchema.TryGetProperty("required", out var required))
        {
            problems.AddRange(required.EnumerateArray().Select(r => r.GetString()!).Where(r => !keys.Contains(r)).Select(r => $"{where}: required '{r}' missing"));
        }
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (objectSchema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property))
            {
                Check(root, property, value, where + "." + name, problems);
            }
            else if (objectSchema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            {
                Check(root, additional, value, where + "." + name, problems);
            }
            else if (!objectSchema.TryGetProperty("additionalProperties", out var closed) || closed.ValueKind == JsonValueKind.False)
            {
                if (objectSchema.TryGetProperty("properties", out _) || objectSchema.TryGetProperty("additionalProperties", out _))
                {
                    problems.Add($"{where}: key '{name}' is not in the schema");
                }
            }
        }
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/$defs/".Length..];
            schema = root.GetProperty("$defs").GetProperty(name);
        }
        return schema;
    }
}
