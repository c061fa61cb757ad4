using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator;

/// <summary>What the operation table needs of the schema: the resource, its metadata class and its methods in order.</summary>
internal sealed record SchemaMethods(string Resource, string MetadataClass, EquatableArray<string> Methods);
