using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// The unified contact written from the answer: scalars, objects, arrays and transforms. Before a
/// scope's fields are written, its <see cref="AccessPlan"/> names the nodes read more than once
/// (<c>$.contacts[0]</c> for every Nutshell field) and the root-relative nodes read inside loops.
/// </summary>
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
        var names = new HashSet<string> { "writer", "input", "root", "current" };
        foreach (var mapping in fromRequest)
        {
            WriteField(mapping, AccessPlan.None, "current", 0, names);
        }
        if (fromBody.Count > 0)
        {
            _code.Open("if (input.HasBody)");
            var plan = AccessPlan.Build(DocumentReads(fromBody, "current", 0), null, names);
            DeclareLocals(plan);
            foreach (var mapping in fromBody)
            {
                WriteField(mapping, plan, "current", 0, names);
            }
            _code.Close();
        }
        _code.Close();
    }

    private static bool ReadsBody(FieldMapping mapping)
        => mapping.Each is not null || mapping.Fields.Any(ReadsBody) || (mapping.Value is { } value && ReadsBody(value));

    private static bool ReadsBody(ValueSpec value)
        => value.Kind == ValueKind.Path || value.Alternatives.Any(ReadsBody);

    /// <summary>
    /// The reads of the method's own starts (<c>root</c>, and <c>current</c> outside any loop) anywhere
    /// in <paramref name="mappings"/>; inside a loop they do not change from item to item, so they
    /// weigh as if read twice and are computed once, before it.
    /// </summary>
    private static IEnumerable<NodeRead> DocumentReads(IEnumerable<FieldMapping> mappings, string current, int depth)
    {
        foreach (var mapping in mappings)
        {
            var reads = mapping.Type switch
            {
                UnifiedFieldType.Object => DocumentReads(mapping.Fields, current, depth),
                UnifiedFieldType.Array => PathCompiler.Reads(mapping.Each!, "root", current)
                    .Concat(DocumentReads(mapping.Fields, ItemName(depth), depth + 1)),
                _ => ValueReads(mapping.Value!, current),
            };
            foreach (var read in reads.Where(r => r.Start is "root" or "current"))
            {
                yield return depth > 0 ? read with { Weight = 2 } : read;
            }
        }
    }

    /// <summary>The reads from one array's item (<c>@</c> in its fields); a nested array's items are its own scope.</summary>
    private static IEnumerable<NodeRead> ItemReads(IEnumerable<FieldMapping> fields, string item)
    {
        foreach (var field in fields)
        {
            var reads = field.Type switch
            {
                UnifiedFieldType.Object => ItemReads(field.Fields, item),
                UnifiedFieldType.Array => PathCompiler.Reads(field.Each!, "root", item),
                _ => ValueReads(field.Value!, item),
            };
            foreach (var read in reads.Where(r => r.Start == item))
            {
                yield return read;
            }
        }
    }

    private static IEnumerable<NodeRead> ValueReads(ValueSpec value, string current)
        => value.Kind == ValueKind.Path
            ? PathCompiler.Reads(value.Path!, "root", current)
            : value.Alternatives.SelectMany(a => ValueReads(a, current));

    private void DeclareLocals(AccessPlan plan)
    {
        foreach (var (name, expression) in plan.Declarations)
        {
            _code.Line($"var {name} = {expression};");
        }
    }

    private static string ItemName(int depth) => "item" + depth.ToString(CultureInfo.InvariantCulture);

    private void WriteField(FieldMapping mapping, AccessPlan plan, string current, int depth, HashSet<string> names)
    {
        var name = _fieldNames.Of(mapping.Field);
        switch (mapping.Type)
        {
            case UnifiedFieldType.Object:
                _code.Open($"if (writer.BeginObject({name}))");
                foreach (var field in mapping.Fields)
                {
                    WriteField(field, plan, current, depth, names);
                }
                _code.Line("writer.EndObject();");
                _code.Close();
                break;
            case UnifiedFieldType.Array:
                var element = "element" + depth.ToString(CultureInfo.InvariantCulture);
                var item = ItemName(depth);
                _code.Open($"if (writer.BeginArray({name}))");
                _code.Open($"foreach (var {element} in {_paths.Items(mapping.Each!, "root", current, plan)})");
                _code.Line($"var {item} = (JsonElement?){element};");
                // The item's locals live in its loop: a sibling loop may use the same names again.
                var itemNames = new HashSet<string>(names) { element, item };
                var itemPlan = AccessPlan.Build(ItemReads(mapping.Fields, item), plan, itemNames);
                DeclareLocals(itemPlan);
                _code.Line("writer.BeginItem();");
                foreach (var field in mapping.Fields)
                {
                    WriteField(field, itemPlan, item, depth + 1, itemNames);
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
                _code.Line($"writer.{write}({name}, {Value(mapping.Value!, current, plan)});");
                break;
        }
    }

    private string Value(ValueSpec value, string current, AccessPlan plan)
    {
        var expression = value.Kind switch
        {
            ValueKind.Path => $"MappedValue.From({_paths.First(value.Path!, "root", current, plan)})",
            ValueKind.Template => $"MappedValue.From({Text(value.Template!, TextPlace.Plain, null, "input.Id")})",
            ValueKind.Constant => $"MappedValue.From({CodeWriter.Literal(value.Constant)})",
            _ => $"MappedValue.FirstOf({string.Join(", ", value.Alternatives.Select(a => Value(a, current, plan)))})",
        };
        foreach (var transform in value.Transforms)
        {
            var argument = transform.Argument is null ? "" : ", " + CodeWriter.Literal(transform.Argument);
            expression = $"MappingTransforms.{transform.Transform.Method}({expression}{argument})";
        }
        return expression;
    }
}
