namespace Truto.Mappings.Json;

/// <summary>One transform of the mapping format, as <see cref="TransformCatalog"/> declares it.</summary>
/// <param name="Name">The YAML name (<c>epoch_seconds</c>).</param>
/// <param name="Argument">Whether the YAML passes a text argument (<c>join(', ')</c>).</param>
/// <param name="Method">
/// The public static method of the runtime's <c>MappingTransforms</c> that does it: it takes the value
/// (<c>MappedValue</c>), then a <see cref="string"/> when <paramref name="Argument"/> is
/// <see cref="TransformArgument.Text"/>, and returns a <c>MappedValue</c>.
/// </param>
/// <param name="DefaultArgument">
/// For a <see cref="TransformArgument.Text"/> transform written without its argument, the text
/// used instead; null when the argument must be written.
/// </param>
internal sealed record MappingTransform(string Name, TransformArgument Argument, string Method, string? DefaultArgument = null);
