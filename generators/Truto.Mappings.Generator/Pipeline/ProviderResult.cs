using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator;

/// <summary>One provider file as its adapter is emitted from: the model (when valid) and every diagnostic.</summary>
internal sealed record ProviderResult(string FilePath, ProviderSpec? Provider, EquatableArray<DiagnosticInfo> Diagnostics);
