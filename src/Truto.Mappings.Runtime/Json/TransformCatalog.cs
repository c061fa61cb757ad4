using System.Collections.Generic;

namespace Truto.Mappings.Json;

/// <summary>
/// Every transform of the mapping format, declared once. This file is shared source, compiled
/// into the generator and the runtime: the generator's parser accepts exactly these names (and
/// suggests from them), its emitter calls <see cref="MappingTransform.Method"/>, and tests check
/// that each method exists on <c>MappingTransforms</c> with the right parameters and that
/// <c>mappings/README.md</c> and the editor schema list exactly these. Adding a transform is one
/// line here, one method on <c>MappingTransforms</c>, one row in the README's transform table and
/// its name in <c>provider.schema.json</c>'s pattern.
/// </summary>
internal static class TransformCatalog
{
    /// <summary>The transforms, in the order messages and the docs list them.</summary>
    public static IReadOnlyList<MappingTransform> All { get; } =
    [
        new("to_string", TransformArgument.None, "ToText"),
        new("epoch_seconds", TransformArgument.None, "EpochSeconds"),
        new("epoch_milliseconds", TransformArgument.None, "EpochMilliseconds"),
        new("join", TransformArgument.Text, "Join", DefaultArgument: ", "),
        new("trim", TransformArgument.None, "Trim"),
        new("lowercase", TransformArgument.None, "Lowercase"),
    ];

    /// <summary>The transform named <paramref name="name"/> in YAML, or null when there is none.</summary>
    public static MappingTransform? Find(string name)
    {
        foreach (var transform in All)
        {
            if (string.Equals(transform.Name, name, StringComparison.Ordinal))
            {
                return transform;
            }
        }
        return null;
    }
}
