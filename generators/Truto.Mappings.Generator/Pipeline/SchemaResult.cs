using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator;

/// <summary>The result of parsing the schema file, or why there is none.</summary>
internal sealed record SchemaResult(SchemaSpec? Schema, EquatableArray<DiagnosticInfo> Diagnostics);
