using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>The unified contact written from the answer: scalars, objects, arrays and transforms.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteContactMapping(EquatableArray<FieldMapping> mappings)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open("public override void WriteContact(ContactWriter writer, MappingInput input)");
        _code.Line("ArgumentNullException.ThrowIfNull(writer);");
        _code.Line("var root = input.Root;");
        _code.Line("var current = input.Current;");
        // Fields read from the body are left out when the provider sent none (a 204): the
        // unified object is then only what the request itself tells (the id).
        var fromRequest = mappings.Where(m => !ReadsBody(m)).ToList();
        var fromBody = mappings.Where(ReadsBody).ToList();
        foreach (var mapping in fromRequest)
        {
            WriteField(mapping, "root", "current", 0);
        }
        if (fromBody.Count > 0)
        {
            _code.Open("if (input.HasBody)");
            foreach (var mapping in fromBody)
            {
                WriteField(mapping, "root", "current", 0);
            }
            _code.Close();
        }
        _code.Close();
    }

    private static bool ReadsBody(FieldMapping mapping)
        => mapping.Each is not null || mapping.Fields.Any(ReadsBody) || (mapping.Value is { } value && ReadsBody(value));

    private static bool ReadsBody(ValueSpec value)
        => value.Kind == ValueKind.Path || value.Alternatives.Any(ReadsBody);

    private void WriteField(FieldMapping mapping, string root, string current, int depth)
    {
        var name = CodeWriter.Literal(mapping.Field);
        switch (mapping.Type)
        {
            case UnifiedFieldType.Object:
                _code.Open($"if (writer.BeginObject({name}))");
                foreach (var field in mapping.Fields)
                {
                    WriteField(field, root, current, depth);
                }
                _code.Line("writer.EndObject();");
                _code.Close();
                break;
            case UnifiedFieldType.Array:
                var item = "item" + depth.ToString(CultureInfo.InvariantCulture);
                _code.Open($"if (writer.BeginArray({name}))");
                _code.Open($"foreach (var element{depth.ToString(CultureInfo.InvariantCulture)} in {_paths.Items(mapping.Each!, root, current)})");
                _code.Line($"var {item} = (JsonElement?)element{depth.ToString(CultureInfo.InvariantCulture)};");
                _code.Line("writer.BeginItem();");
                foreach (var field in mapping.Fields)
                {
                    WriteField(field, root, item, depth + 1);
                }
                _code.Line("writer.EndItem();");
                _code.Close();
                _code.Line("writer.EndArray();");
                _code.Close();
                break;
            default:
                var write = mapping.Type switch
                {
                    UnifiedFieldType.Boolean => "WriteBoolean",
                    UnifiedFieldType.Number => "WriteNumber",
                    UnifiedFieldType.Record => "WriteRecord",
                    _ => "WriteString",
                };
                _code.Line($"writer.{write}({name}, {Value(mapping.Value!, root, current)});");
                break;
        }
    }

    private string Value(ValueSpec value, string root, string current)
    {
        var expression = value.Kind switch
        {
            ValueKind.Path => $"MappedValue.From({_paths.First(value.Path!, root, current)})",
            ValueKind.Template => $"MappedValue.From({Text(value.Template!, TextPlace.Plain, null, "input.Id")})",
            ValueKind.Constant => $"MappedValue.From({CodeWriter.Literal(value.Constant)})",
            _ => $"MappedValue.FirstOf({string.Join(", ", value.Alternatives.Select(a => Value(a, root, current)))})",
        };
        foreach (var transform in value.Transforms)
        {
            var argument = transform.Argument is null ? "" : ", " + CodeWriter.Literal(transform.Argument);
            expression = $"MappingTransforms.{transform.Transform.Method}({expression}{argument})";
        }
        return expression;
    }
}
