using System.Collections.Generic;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>Per-id outcomes of a batch answer: <c>BatchItemResult.ById</c> or <c>ByPosition</c> with one lambda per question.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteBatchItems(BatchSpec batch)
    {
        if (batch.Items is not { } items)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override Generic.IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, Generic.IReadOnlyList<string> ids)");
        _code.Line($"var root = (JsonElement?)body;");
        var source = _paths.Items(items.Path, "root", "root", AccessPlan.None);
        // Each lambda reads the item only when one of its paths starts at '@' (decided from the model).
        var succeeded = items.SucceededWhen is { } predicate
            ? Lambda(Predicate(predicate), [predicate.Path])
            : items.ErrorMessagePaths.Count > 0 ? Lambda($"{FirstText(items.ErrorMessagePaths, "root", "item")} is null", items.ErrorMessagePaths) : Lambda("true", []);
        var message = items.ErrorMessagePaths.Count > 0 ? Lambda(FirstText(items.ErrorMessagePaths, "root", "item"), items.ErrorMessagePaths) : Lambda("null", []);
        var code = items.ErrorCodePath is { } c ? Lambda($"JsonNavigation.AsText({_paths.First(c, "root", "item", AccessPlan.None)})", [c]) : Lambda("null", []);
        if (items.Match == ItemMatch.Id)
        {
            _code.Line($"return BatchItemResult.ById(ids, {source},");
            _code.Line($"    {Lambda($"JsonNavigation.AsText({_paths.First(items.IdPath!, "root", "item", AccessPlan.None)})", [items.IdPath!])},");
        }
        else
        {
            _code.Line($"return BatchItemResult.ByPosition(ids, {source},");
        }
        _code.Line($"    {succeeded},");
        _code.Line($"    {message},");
        _code.Line($"    {code});");
        _code.Close();
    }

    /// <summary>
    /// A lambda over one batch item (<c>@</c>, compiled as <c>item</c>); it may read the root too, for
    /// filters that compare with <c>$</c>. It declares <c>item</c> only when one of the paths its body
    /// was compiled from starts at <c>@</c>.
    /// </summary>
    private static string Lambda(string body, IReadOnlyList<PathExpression> reads)
        => reads.Any(PathCompiler.ReadsCurrent) ? $"element => {{ var item = (JsonElement?)element; return {body}; }}" : $"_ => {body}";

    private string Predicate(PredicateSpec predicate)
    {
        var node = _paths.First(predicate.Path, "root", "item", AccessPlan.None);
        return predicate.Kind switch
        {
            PredicateKind.IsString => $"{node} is {{ ValueKind: JsonValueKind.String }}",
            PredicateKind.EqualsValue => $"JsonNavigation.EqualsLiteral({node}, JsonValueKind.{LiteralKindName(predicate.Value!.Kind)}, {CodeWriter.Literal(predicate.Value.Text)})",
            _ => $"JsonNavigation.Exists({node})",
        };
    }

    private static string LiteralKindName(LiteralKind kind) => kind switch
    {
        LiteralKind.String => "String",
        LiteralKind.Number => "Number",
        LiteralKind.True => "True",
        LiteralKind.False => "False",
        _ => "Null",
    };

    private string FirstText(EquatableArray<PathExpression> paths, string root, string current)
        => string.Join(" ?? ", paths.Select(p => $"JsonNavigation.AsText({_paths.First(p, root, current, AccessPlan.None)})"));
}
