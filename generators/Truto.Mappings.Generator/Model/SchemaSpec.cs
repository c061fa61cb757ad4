using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Generator.Model;

/// <summary>A field of the unified schema (properties are set for objects and for arrays of objects).</summary>
internal sealed record SchemaField(
    string Name,
    UnifiedFieldType Type,
    string Description,
    bool Required,
    string? References,
    EquatableArray<SchemaField> Properties);

/// <summary>A request parameter of a unified method (query or body).</summary>
internal sealed record ParameterSpec(string Name, string Type, string Description, bool Required, string? Example, EquatableArray<string> Values);

/// <summary>A unified method: its shape, its HTTP form and documented parameters.</summary>
internal sealed record MethodSpec(
    string Name,
    OperationShape Shape,
    string HttpMethod,
    string Path,
    string Title,
    string Description,
    bool Wrapped,
    EquatableArray<ParameterSpec> PathParameters,
    EquatableArray<ParameterSpec> Query,
    EquatableArray<ParameterSpec> Body);

/// <summary>The unified resource schema: fields, methods and the Truto parameters every method takes.</summary>
internal sealed record SchemaSpec(
    string FilePath,
    string UnifiedModel,
    string Resource,
    string TypeName,
    string Description,
    EquatableArray<SchemaField> Fields,
    EquatableArray<ParameterSpec> CommonQuery,
    EquatableArray<MethodSpec> Methods);
