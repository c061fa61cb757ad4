namespace Truto.Mappings.Json;

/// <summary>What a mapping transform takes besides the value it transforms.</summary>
internal enum TransformArgument
{
    /// <summary>Nothing: written as the bare name (<c>trim</c>).</summary>
    None,

    /// <summary>One quoted text (<c>join(', ')</c>), passed to the runtime method as a second <see cref="string"/> parameter.</summary>
    Text,
}
