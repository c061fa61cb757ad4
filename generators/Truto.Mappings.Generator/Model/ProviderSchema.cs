using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Generator.Model;

/// <summary>
/// What a provider file is checked against: the resource, the methods (name and shape) and the
/// fields (name, type and nesting). No descriptions, titles or parameters: a pipeline value
/// projected from <see cref="SchemaSpec"/>, so editing the schema's documentation leaves every
/// provider cached.
/// </summary>
internal sealed record ProviderSchema(string Resource, EquatableArray<MethodShape> Methods, EquatableArray<FieldShape> Fields)
{
    public static ProviderSchema From(SchemaSpec schema)
        => new(
            schema.Resource,
            schema.Methods.Select(m => new MethodShape(m.Name, m.Shape)).ToEquatableArray(),
            schema.Fields.Select(FieldShape.From).ToEquatableArray());
}

/// <summary>A schema method as providers see it: its name and shape.</summary>
internal sealed record MethodShape(string Name, OperationShape Shape);

/// <summary>A schema field as providers see it: its name, type and sub-fields (objects and arrays of objects).</summary>
internal sealed record FieldShape(string Name, UnifiedFieldType Type, EquatableArray<FieldShape> Properties)
{
    public static FieldShape From(SchemaField field)
        => new(field.Name, field.Type, field.Properties.Select(From).ToEquatableArray());
}
