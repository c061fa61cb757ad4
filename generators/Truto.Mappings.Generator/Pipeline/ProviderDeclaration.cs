using Truto.Mappings.Generator.Diagnostics;

namespace Truto.Mappings.Generator;

/// <summary>A provider's integration name and where its file declares it: all the duplicate-name check (TM0009) needs.</summary>
internal sealed record ProviderDeclaration(string Name, string FilePath, LocationInfo Location);
