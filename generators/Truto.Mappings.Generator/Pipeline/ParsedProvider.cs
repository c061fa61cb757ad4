using Truto.Mappings.Generator.Diagnostics;

namespace Truto.Mappings.Generator;

/// <summary>
/// What parsing one provider file gives: the result the adapter is emitted from, and apart from it
/// where <c>name:</c> is declared (for TM0009). The location moves with every line inserted above
/// it, so it stays out of <see cref="Result"/>: such an edit re-runs the parse, not the emission.
/// </summary>
internal sealed record ParsedProvider(ProviderResult Result, LocationInfo? NameLocation);
