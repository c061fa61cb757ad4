extern alias generator;

using System.Reflection;
using System.Text.Json;
using generator::Truto.Mappings.Expressions;
using generator::Truto.Mappings.Generator.Model;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>
/// A provider answer written as unified fields, as the emitter's <c>WriteContact</c>: the fields the
/// request alone decides first, then (only when the provider sent a body) the fields read from it;
/// objects, arrays of objects, scalars through <see cref="MappedValue"/> and the catalogue's transforms.
/// Field names are encoded once, when the mapping is built.
/// </summary>
internal sealed class ContactMapping
{
    private readonly IReadOnlyList<Field> _fromRequest;
    private readonly IReadOnlyList<Field> _fromBody;

    public ContactMapping(EquatableArray<FieldMapping> mappings)
    {
        _fromRequest = [.. mappings.Where(m => !ReadsBody(m)).Select(Field.From)];
        _fromBody = [.. mappings.Where(ReadsBody).Select(Field.From)];
    }

    public void Write(ContactWriter writer, MappingInput input)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var field in _fromRequest)
        {
            field.Write(writer, input.Root, input.Current, input.Id);
        }
        if (input.HasBody)
        {
            foreach (var field in _fromBody)
            {
                field.Write(writer, input.Root, input.Current, input.Id);
            }
        }
    }

    private static bool ReadsBody(FieldMapping mapping)
        => mapping.Each is not null || mapping.Fields.Any(ReadsBody) || (mapping.Value is { } value && ReadsBody(value));

    private static bool ReadsBody(ValueSpec value)
        => value.Kind == ValueKind.Path || value.Alternatives.Any(ReadsBody);

    /// <summary>The unified fields a mapping fills, dotted for nested ones (the emitted <c>ResponseFields</c>).</summary>
    public static IEnumerable<string> Covered(EquatableArray<FieldMapping> mappings, string prefix = "")
    {
        foreach (var mapping in mappings)
        {
            yield return prefix + mapping.Field;
            foreach (var nested in Covered(mapping.Fields, prefix + mapping.Field + "."))
            {
                yield return nested;
            }
        }
    }

    private sealed record Field(JsonEncodedText Name, UnifiedFieldType Type, Value? Value, PathExpression? Each, IReadOnlyList<Field> Fields)
    {
        public static Field From(FieldMapping mapping)
            => new(ContactWriter.EncodeName(mapping.Field), SharedEnum.To<UnifiedFieldType>(mapping.Type),
                mapping.Value is { } value ? Evaluation.Value.From(value) : null, mapping.Each, [.. mapping.Fields.Select(From)]);

        public void Write(ContactWriter writer, JsonElement? root, JsonElement? current, string id)
        {
            switch (Type)
            {
                case UnifiedFieldType.Object:
                    if (writer.BeginObject(Name))
                    {
                        foreach (var field in Fields)
                        {
                            field.Write(writer, root, current, id);
                        }
                        writer.EndObject();
                    }
                    break;
                case UnifiedFieldType.Array:
                    if (writer.BeginArray(Name))
                    {
                        foreach (var element in PathEvaluator.Items(Each!, root, current))
                        {
                            writer.BeginItem();
                            foreach (var field in Fields)
                            {
                                field.Write(writer, root, element, id);
                            }
                            writer.EndItem();
                        }
                        writer.EndArray();
                    }
                    break;
                case UnifiedFieldType.Boolean:
                    writer.WriteBoolean(Name, Value!.Evaluate(root, current, id));
                    break;
                case UnifiedFieldType.Number:
                    writer.WriteNumber(Name, Value!.Evaluate(root, current, id));
                    break;
                case UnifiedFieldType.Record:
                    writer.WriteRecord(Name, Value!.Evaluate(root, current, id));
                    break;
                default:
                    writer.WriteString(Name, Value!.Evaluate(root, current, id));
                    break;
            }
        }
    }
}

/// <summary>Where a unified scalar comes from (a path, a template over the id, a constant, the first of several) and its transforms.</summary>
internal sealed class Value
{
    private readonly ValueSpec _spec;
    private readonly IReadOnlyList<Value> _alternatives;
    private readonly IReadOnlyList<Func<MappedValue, MappedValue>> _transforms;

    private Value(ValueSpec spec)
    {
        _spec = spec;
        _alternatives = [.. spec.Alternatives.Select(From)];
        _transforms = [.. spec.Transforms.Select(Transform)];
    }

    public static Value From(ValueSpec spec) => new(spec);

    public MappedValue Evaluate(JsonElement? root, JsonElement? current, string id)
    {
        var value = _spec.Kind switch
        {
            ValueKind.Path => MappedValue.From(PathEvaluator.First(_spec.Path!, root, current)),
            ValueKind.Template => MappedValue.From(TemplateText.Evaluate(_spec.Template!, TextPlace.Plain, null, id, null)),
            ValueKind.Constant => MappedValue.From(_spec.Constant),
            _ => MappedValue.FirstOf([.. _alternatives.Select(a => a.Evaluate(root, current, id))]),
        };
        foreach (var transform in _transforms)
        {
            value = transform(value);
        }
        return value;
    }

    /// <summary>
    /// The transform's method on <see cref="MappingTransforms"/>, found by the name the catalogue gives
    /// it (the name the emitter calls), bound once with its argument.
    /// </summary>
    private static Func<MappedValue, MappedValue> Transform(TransformSpec spec)
    {
        var name = spec.Transform.Method;
        if (spec.Argument is { } argument)
        {
            var method = typeof(MappingTransforms).GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(MappedValue), typeof(string)])
                ?? throw new InvalidOperationException($"MappingTransforms has no method {name}(MappedValue, string).");
            var call = method.CreateDelegate<Func<MappedValue, string, MappedValue>>();
            return value => call(value, argument);
        }
        var single = typeof(MappingTransforms).GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(MappedValue)])
            ?? throw new InvalidOperationException($"MappingTransforms has no method {name}(MappedValue).");
        return single.CreateDelegate<Func<MappedValue, MappedValue>>();
    }
}
