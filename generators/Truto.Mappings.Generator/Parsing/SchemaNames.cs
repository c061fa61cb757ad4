using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Emission;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Checks the names the schema file gives generated code: <c>type_name</c> and every field name
/// become C# types, properties and hint names. A name must be usable (TM0016: a PascalCase type,
/// snake_case fields, nothing the generator itself declares) and unique once converted (TM0017:
/// <c>emailAddresses</c> beside <c>email_addresses</c>, a nested type named like the converter).
/// </summary>
internal static class SchemaNames
{
    private static readonly Regex TypeNamePattern = new("^[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);
    private static readonly Regex FieldNamePattern = new("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <summary>Names the generator declares in its own output (the registry's class and hint name).</summary>
    private static readonly string[] ReservedTypes = ["GeneratedProviders"];

    /// <summary>Members every generated record has: its own methods and those of records and <c>object</c>.</summary>
    private static readonly string[] ReservedMembers =
        ["FromJson", "WriteTo", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals"];

    public static void Check(ParseContext context, MappingReader root)
    {
        // Type names become hint names too, which Roslyn compares ignoring case.
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var typeNode = root.Get("type_name") as YamlScalarNode;
        var typeName = typeNode?.Value;
        var typeNameUsable = typeNode is not null && typeName is not null && CheckTypeName(context, typeNode, typeName);
        if (typeNameUsable && root.Get("resource") is YamlScalarNode { Value: { } resource })
        {
            types[SchemaEmitter.MetadataClass(resource)] = "resource";
        }
        if (typeNameUsable)
        {
            Declare(context, types, typeName!, typeNode!, "type_name");
            Declare(context, types, typeName + "JsonConverter", typeNode!, "type_name");
        }
        if (root.Get("fields") is YamlMappingNode fields)
        {
            CheckFields(context, fields, "fields", typeNameUsable ? typeName : null, typeNameUsable ? typeName : null, types);
        }
    }

    private static bool CheckTypeName(ParseContext context, YamlScalarNode node, string typeName)
    {
        if (TypeNamePattern.IsMatch(typeName) && !ReservedTypes.Contains(typeName))
        {
            return true;
        }
        context.Report(DiagnosticDescriptors.InvalidName, node, "type_name", typeName,
            "a PascalCase C# type name (an upper-case ASCII letter, then ASCII letters and digits) other than " + string.Join(", ", ReservedTypes));
        return false;
    }

    /// <summary>
    /// The fields of one generated type, <paramref name="owner"/>; nested types are named after
    /// <paramref name="root"/> (as the emitter names them). Without a usable root only the field
    /// names are checked.
    /// </summary>
    private static void CheckFields(ParseContext context, YamlMappingNode node, string where, string? root, string? owner, Dictionary<string, string> types)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in node.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: { } name } key)
            {
                continue;
            }
            var fieldWhere = where + "." + name;
            if (!CheckField(context, key, name, fieldWhere, owner, properties))
            {
                continue;
            }
            var field = entry.Value as YamlMappingNode;
            var kind = field is not null && field.Children.TryGetValue(new YamlScalarNode("type"), out var type) ? (type as YamlScalarNode)?.Value : null;
            if (kind is not ("object" or "array"))
            {
                continue;
            }
            var nested = root is null ? null : SchemaEmitter.NestedTypeName(root, name, kind == "array");
            if (nested is not null && !Declare(context, types, nested, key, fieldWhere))
            {
                continue;
            }
            if (field!.Children.TryGetValue(new YamlScalarNode("properties"), out var nestedFields) && nestedFields is YamlMappingNode nestedMap)
            {
                CheckFields(context, nestedMap, fieldWhere + ".properties", root, nested, types);
            }
        }
    }

    private static bool CheckField(ParseContext context, YamlScalarNode key, string name, string where, string? owner, Dictionary<string, string> properties)
    {
        if (!FieldNamePattern.IsMatch(name))
        {
            context.Report(DiagnosticDescriptors.InvalidName, key, where, name,
                "a snake_case name (lower-case ASCII letters and digits, words joined by single '_', starting with a letter)");
            return false;
        }
        var property = GeneratedText.Identifier(name);
        if (ReservedMembers.Contains(property) || property == owner)
        {
            context.Report(DiagnosticDescriptors.InvalidName, key, where, name,
                $"a name whose property ('{property}') is neither the type's own name nor a member every generated type has ({string.Join(", ", ReservedMembers)})");
            return false;
        }
        if (properties.TryGetValue(property, out var other))
        {
            context.Report(DiagnosticDescriptors.NameCollision, key, where, property, $"'{other}'");
            return false;
        }
        properties.Add(property, where);
        return true;
    }

    /// <summary>Declares a generated type; a name already taken (ignoring case) is TM0017 at <paramref name="node"/>.</summary>
    private static bool Declare(ParseContext context, Dictionary<string, string> types, string name, YamlNode node, string where)
    {
        if (types.TryGetValue(name, out var other))
        {
            context.Report(DiagnosticDescriptors.NameCollision, node, where, name, other == where ? "another of its types" : $"'{other}'");
            return false;
        }
        types.Add(name, where);
        return true;
    }
}
