using System.Collections.Generic;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// Emits the unified model from the schema file: the typed <c>Contact</c> with its nested types
/// and JSON reading/writing, and the schema as runtime metadata (<c>ContactsSchema.Resource</c>).
/// </summary>
internal static class SchemaEmitter
{
    public const string Namespace = "Truto.Mappings.Unified";
    private const string ElementType = "global::System.Text.Json.JsonElement";
    private const string WriterType = "global::System.Text.Json.Utf8JsonWriter";
    private const string UnifiedJson = "global::Truto.Mappings.Json.UnifiedJson";
    private const string SchemaTypes = "global::Truto.Mappings.Schema";

    public static string ModelHintName(SchemaSpec schema) => GeneratedText.HintName(schema.TypeName, ".g.cs");

    public static string MetadataHintName(SchemaSpec schema) => GeneratedText.HintName(MetadataClass(schema), ".g.cs");

    public static string MetadataClass(SchemaSpec schema) => MetadataClass(schema.Resource);

    /// <summary>The class of the schema as data: <c>contacts</c> → <c>ContactsSchema</c>.</summary>
    internal static string MetadataClass(string resource) => CodeWriter.Identifier(resource) + "Schema";

    public static string EmitModel(SchemaSpec schema)
    {
        using var code = new CodeWriter(ProviderEmitter.SourceName(schema.FilePath));
        code.Line($"namespace {Namespace};");
        var types = new List<(string Name, string Description, EquatableArray<SchemaField> Fields)>();
        Collect(schema.TypeName, schema.Description, schema.Fields, types);
        foreach (var (name, description, fields) in types)
        {
            code.Line();
            WriteType(code, schema.TypeName, name, description, fields);
        }
        code.Line();
        code.Line($"/// <summary>Reads and writes <see cref=\"{schema.TypeName}\"/> with <c>System.Text.Json</c>, without reflection.</summary>");
        code.Line(CodeWriter.GeneratedCodeAttribute);
        code.Open($"public sealed class {schema.TypeName}JsonConverter : global::System.Text.Json.Serialization.JsonConverter<{schema.TypeName}>");
        code.Line("/// <inheritdoc />");
        code.Open($"public override {schema.TypeName} Read(ref global::System.Text.Json.Utf8JsonReader reader, global::System.Type typeToConvert, global::System.Text.Json.JsonSerializerOptions options)");
        code.Line("using var document = global::System.Text.Json.JsonDocument.ParseValue(ref reader);");
        code.Line($"return {schema.TypeName}.FromJson(document.RootElement);");
        code.Close();
        code.Line();
        code.Line("/// <inheritdoc />");
        code.Line($"public override void Write({WriterType} writer, {schema.TypeName} value, global::System.Text.Json.JsonSerializerOptions options)");
        code.Line("    => value?.WriteTo(writer);");
        code.Close();
        return code.ToString();
    }

    private static void Collect(string name, string description, EquatableArray<SchemaField> fields, List<(string, string, EquatableArray<SchemaField>)> types)
    {
        types.Add((name, description, fields));
        foreach (var field in fields.Where(f => f.Type is UnifiedFieldType.Object or UnifiedFieldType.Array))
        {
            Collect(NestedTypeName(types[0].Item1, field), field.Description, field.Properties, types);
        }
    }

    /// <summary>Contact + email_addresses -> ContactEmailAddress (array items are named in the singular).</summary>
    private static string NestedTypeName(string root, SchemaField field)
        => NestedTypeName(root, field.Name, field.Type == UnifiedFieldType.Array);

    /// <summary>The type generated for an object field, or for the items of an array field (the parser checks these for collisions).</summary>
    internal static string NestedTypeName(string root, string fieldName, bool isArray)
    {
        var name = CodeWriter.Identifier(fieldName);
        if (isArray)
        {
            name = name.EndsWith("ies", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 3) + "y"
                : name.EndsWith("sses", System.StringComparison.Ordinal) || name.EndsWith("xes", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 2)
                : name.EndsWith("s", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 1)
                : name + "Item";
        }
        return root + name;
    }

    private static void WriteType(CodeWriter code, string root, string name, string description, EquatableArray<SchemaField> fields)
    {
        var isRoot = name == root;
        code.Line($"/// <summary>{CodeWriter.Xml(description)}</summary>");
        code.Line(CodeWriter.GeneratedCodeAttribute);
        if (isRoot)
        {
            code.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({name}JsonConverter))]");
        }
        code.Open($"public sealed partial record {name}");
        foreach (var field in fields)
        {
            code.Line($"/// <summary>{CodeWriter.Xml(field.Description)}</summary>");
            var property = CodeWriter.Identifier(field.Name);
            code.Line(field.Required && field.Type == UnifiedFieldType.String
                ? $"public string {property} {{ get; init; }} = \"\";"
                : $"public {PropertyType(root, field)} {property} {{ get; init; }}");
            code.Line();
        }
        code.Line($"/// <summary>Reads a {name} from its unified JSON; unknown members are ignored, malformed values read as null.</summary>");
        code.Open($"public static {name} FromJson({ElementType} json) => new()");
        foreach (var field in fields)
        {
            var property = CodeWriter.Identifier(field.Name);
            var utf8 = CodeWriter.Utf8Literal(field.Name);
            var read = field.Type switch
            {
                UnifiedFieldType.DateTime => $"{UnifiedJson}.ReadDateTime(json, {utf8})",
                UnifiedFieldType.Boolean => $"{UnifiedJson}.ReadBoolean(json, {utf8})",
                UnifiedFieldType.Number => $"{UnifiedJson}.ReadNumber(json, {utf8})",
                UnifiedFieldType.Record => $"{UnifiedJson}.ReadRecord(json, {utf8})",
                UnifiedFieldType.Object => $"{UnifiedJson}.ReadObject(json, {utf8}, {NestedTypeName(root, field)}.FromJson)",
                UnifiedFieldType.Array => $"{UnifiedJson}.ReadArray(json, {utf8}, {NestedTypeName(root, field)}.FromJson)",
                _ => $"{UnifiedJson}.ReadString(json, {utf8})" + (field.Required ? " ?? \"\"" : ""),
            };
            code.Line($"{property} = {read},");
        }
        code.Close(";");
        code.Line();
        code.Line("/// <summary>Writes the unified JSON of this object; null fields are left out.</summary>");
        code.Open($"public void WriteTo({WriterType} writer)");
        code.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
        code.Line("writer.WriteStartObject();");
        foreach (var field in fields)
        {
            var property = CodeWriter.Identifier(field.Name);
            var utf8 = CodeWriter.Utf8Literal(field.Name);
            switch (field.Type)
            {
                case UnifiedFieldType.Object:
                    code.Open($"if ({property} is not null)");
                    code.Line($"writer.WritePropertyName({utf8});");
                    code.Line($"{property}.WriteTo(writer);");
                    code.Close();
                    break;
                case UnifiedFieldType.Array:
                    code.Line($"{UnifiedJson}.Write(writer, {utf8}, {property}, static (item, w) => item.WriteTo(w));");
                    break;
                default:
                    code.Line($"{UnifiedJson}.Write(writer, {utf8}, {property});");
                    break;
            }
        }
        code.Line("writer.WriteEndObject();");
        code.Close();
        code.Close();
    }

    private static string PropertyType(string root, SchemaField field) => field.Type switch
    {
        UnifiedFieldType.DateTime => "global::System.DateTimeOffset?",
        UnifiedFieldType.Boolean => "bool?",
        UnifiedFieldType.Number => "decimal?",
        UnifiedFieldType.Record => ElementType + "?",
        UnifiedFieldType.Object => NestedTypeName(root, field) + "?",
        UnifiedFieldType.Array => $"global::System.Collections.Generic.IReadOnlyList<{NestedTypeName(root, field)}>?",
        _ => "string?",
    };

    public static string EmitMetadata(SchemaSpec schema)
    {
        using var code = new CodeWriter(ProviderEmitter.SourceName(schema.FilePath));
        code.Line($"namespace {Namespace};");
        code.Line();
        code.Line($"/// <summary>The unified {CodeWriter.Xml(schema.UnifiedModel)} {CodeWriter.Xml(schema.Resource)} schema as data: fields, methods and parameters.</summary>");
        code.Line(CodeWriter.GeneratedCodeAttribute);
        code.Open($"public static class {MetadataClass(schema)}");
        code.Line("/// <summary>The resource as the schema file describes it.</summary>");
        code.Line($"public static {SchemaTypes}.UnifiedResource Resource {{ get; }} = new(");
        code.Line($"    {CodeWriter.Literal(schema.UnifiedModel)},");
        code.Line($"    {CodeWriter.Literal(schema.Resource)},");
        code.Line($"    {CodeWriter.Literal(schema.Description)},");
        code.Line($"    {Fields(schema.Fields)},");
        code.Line($"    {Parameters(schema.CommonQuery)},");
        code.Line($"    new {SchemaTypes}.UnifiedMethod[]");
        code.Line("    {");
        foreach (var method in schema.Methods)
        {
            code.Line($"        new({CodeWriter.Literal(method.Name)}, {SchemaTypes}.OperationShape.{method.Shape}, {CodeWriter.Literal(method.HttpMethod)}, {CodeWriter.Literal(method.Path)}, {CodeWriter.Literal(method.Title)}, {CodeWriter.Literal(method.Description)}, {(method.Wrapped ? "true" : "false")},");
            code.Line($"            {Parameters(method.PathParameters)},");
            code.Line($"            {Parameters(method.Query)},");
            code.Line($"            {Parameters(method.Body)}),");
        }
        code.Line("    });");
        code.Close();
        return code.ToString();
    }

    private static string Fields(EquatableArray<SchemaField> fields)
        => fields.Count == 0
            ? $"global::System.Array.Empty<{SchemaTypes}.UnifiedField>()"
            : $"new {SchemaTypes}.UnifiedField[] {{ {string.Join(", ", fields.Select(Field))} }}";

    private static string Field(SchemaField field)
        => $"new({CodeWriter.Literal(field.Name)}, {SchemaTypes}.UnifiedFieldType.{field.Type}, {CodeWriter.Literal(field.Description)}, {(field.Required ? "true" : "false")}, {CodeWriter.Literal(field.References)}, {Fields(field.Properties)})";

    private static string Parameters(EquatableArray<ParameterSpec> parameters)
        => parameters.Count == 0
            ? $"global::System.Array.Empty<{SchemaTypes}.UnifiedParameter>()"
            : $"new {SchemaTypes}.UnifiedParameter[] {{ {string.Join(", ", parameters.Select(Parameter))} }}";

    private static string Parameter(ParameterSpec p)
        => $"new({CodeWriter.Literal(p.Name)}, {CodeWriter.Literal(p.Type)}, {CodeWriter.Literal(p.Description)}, {(p.Required ? "true" : "false")}, {CodeWriter.Literal(p.Example)}, new string[] {{ {string.Join(", ", p.Values.Select(CodeWriter.Literal))} }})";
}
