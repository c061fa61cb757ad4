using System.Collections.Generic;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>Parses the unified schema file (<c>mappings/unified/crm/contacts.yaml</c>).</summary>
internal static class SchemaFileParser
{
    public static readonly string[] FieldTypes = ["string", "date-time", "boolean", "number", "object", "array", "record"];

    public static (SchemaSpec? Schema, EquatableArray<DiagnosticInfo> Diagnostics) Parse(string filePath, string text)
    {
        var context = new ParseContext(filePath);
        var root = context.Load(text);
        var schema = root is null ? null : ParseRoot(context, root);
        return (context.HasErrors ? null : schema, context.Diagnostics.ToEquatableArray());
    }

    private static SchemaSpec? ParseRoot(ParseContext context, YamlMappingNode root)
    {
        var reader = new MappingReader(context, root, "", "unified_model", "resource", "type_name", "description", "fields", "truto_query", "methods");
        var unifiedModel = reader.String("unified_model", required: true);
        var resource = reader.String("resource", required: true);
        var typeName = reader.String("type_name", required: true);
        SchemaNames.Check(context, reader);
        var description = reader.String("description") ?? "";
        var fields = reader.Mapping("fields", required: true) is { } fieldsNode ? ParseFields(context, fieldsNode, "fields") : [];
        var commonQuery = reader.Mapping("truto_query") is { } query ? ParseParameters(context, query, "truto_query") : [];
        var methods = new List<MethodSpec>();
        if (reader.Mapping("methods", required: true) is { } methodsNode)
        {
            foreach (var (key, value) in new MappingReader(context, methodsNode, "methods").Entries)
            {
                if (value is YamlMappingNode method)
                {
                    methods.Add(ParseMethod(context, key.Value!, method));
                }
                else
                {
                    context.Report(DiagnosticDescriptors.WrongType, value, "methods." + key.Value, "a mapping", ParseContext.Describe(value));
                }
            }
        }
        return unifiedModel is null || resource is null || typeName is null
            ? null
            : new SchemaSpec(context.FilePath, unifiedModel, resource, typeName, description, fields.ToEquatableArray(), commonQuery.ToEquatableArray(), methods.ToEquatableArray());
    }

    private static List<SchemaField> ParseFields(ParseContext context, YamlMappingNode node, string where)
    {
        var fields = new List<SchemaField>();
        foreach (var (key, value) in new MappingReader(context, node, where).Entries)
        {
            var fieldWhere = where + "." + key.Value;
            if (value is not YamlMappingNode fieldNode)
            {
                context.Report(DiagnosticDescriptors.WrongType, value, fieldWhere, "a mapping with type and description", ParseContext.Describe(value));
                continue;
            }
            var field = new MappingReader(context, fieldNode, fieldWhere, "type", "description", "required", "references", "properties");
            var type = field.OneOf("type", required: true, FieldTypes);
            var properties = field.Mapping("properties") is { } props ? ParseFields(context, props, fieldWhere + ".properties") : [];
            if (type is not null)
            {
                fields.Add(new SchemaField(key.Value!, ToFieldType(type), field.String("description") ?? "", field.Bool("required") ?? false, field.String("references"), properties.ToEquatableArray()));
            }
        }
        return fields;
    }

    private static MethodSpec ParseMethod(ParseContext context, string name, YamlMappingNode node)
    {
        var where = "methods." + name;
        var reader = new MappingReader(context, node, where, "shape", "http_method", "path", "title", "description", "wrapped", "path_parameters", "query", "body");
        return new MethodSpec(
            name,
            ParseShape(context, reader, node),
            reader.OneOf("http_method", true, "DELETE", "POST", "GET", "PATCH", "PUT") ?? "DELETE",
            reader.String("path", required: true) ?? "",
            reader.String("title") ?? name,
            reader.String("description") ?? "",
            reader.Bool("wrapped") ?? false,
            (reader.Mapping("path_parameters") is { } p ? ParseParameters(context, p, where + ".path_parameters") : []).ToEquatableArray(),
            (reader.Mapping("query") is { } q ? ParseParameters(context, q, where + ".query") : []).ToEquatableArray(),
            (reader.Mapping("body") is { } b ? ParseParameters(context, b, where + ".body") : []).ToEquatableArray());
    }

    /// <summary>The method's <c>shape</c>; TM0018 (not the generic TM0003/TM0011) says what each shape means.</summary>
    private static OperationShape ParseShape(ParseContext context, MappingReader reader, YamlMappingNode method)
    {
        var where = reader.PathOf("shape");
        switch (reader.Get("shape"))
        {
            case null:
                context.Report(DiagnosticDescriptors.MethodShape, method, where, "missing");
                return OperationShape.Single;
            case YamlScalarNode { Value: "single" }:
                return OperationShape.Single;
            case YamlScalarNode { Value: "batch" }:
                return OperationShape.Batch;
            case var other:
                context.Report(DiagnosticDescriptors.MethodShape, other, where, ParseContext.Describe(other));
                return OperationShape.Single;
        }
    }

    private static List<ParameterSpec> ParseParameters(ParseContext context, YamlMappingNode node, string where)
    {
        var parameters = new List<ParameterSpec>();
        foreach (var (key, value) in new MappingReader(context, node, where).Entries)
        {
            if (value is not YamlMappingNode parameterNode)
            {
                context.Report(DiagnosticDescriptors.WrongType, value, where + "." + key.Value, "a mapping with type and description", ParseContext.Describe(value));
                continue;
            }
            var reader = new MappingReader(context, parameterNode, where + "." + key.Value, "type", "description", "required", "example", "values");
            parameters.Add(new ParameterSpec(
                key.Value!,
                reader.String("type", required: true) ?? "string",
                reader.String("description") ?? "",
                reader.Bool("required") ?? false,
                reader.String("example"),
                reader.ScalarList("values").Select(v => v.Value!).ToEquatableArray()));
        }
        return parameters;
    }

    private static UnifiedFieldType ToFieldType(string type) => type switch
    {
        "date-time" => UnifiedFieldType.DateTime,
        "boolean" => UnifiedFieldType.Boolean,
        "number" => UnifiedFieldType.Number,
        "object" => UnifiedFieldType.Object,
        "array" => UnifiedFieldType.Array,
        "record" => UnifiedFieldType.Record,
        _ => UnifiedFieldType.String,
    };
}
