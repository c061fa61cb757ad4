namespace Truto.Mappings.Generator;

/// <summary>A YAML file among the AdditionalFiles: its path and text (value-equal, so unchanged files are cached).</summary>
internal sealed record MappingFile(string Path, string Text);
