extern alias generator;

using System.Text.Json;
using generator::Truto.Mappings.Generator.Model;
using Truto.Mappings.Adapters;
using Truto.Mappings.Json;

namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>Per-id outcomes of a batch answer, with the questions the emitter's <c>.BatchItems</c> compiles into lambdas.</summary>
internal static class BatchItems
{
    public static IReadOnlyList<BatchItemResult> Read(ItemsSpec items, JsonElement body, IReadOnlyList<string> ids)
    {
        JsonElement? root = body;
        var source = PathEvaluator.Items(items.Path, root, root);
        Func<JsonElement, bool> succeeded = items.SucceededWhen is { } predicate
            ? item => Holds(predicate, root, item)
            : items.ErrorMessagePaths.Count > 0 ? item => PathEvaluator.FirstText(items.ErrorMessagePaths, root, item) is null : _ => true;
        Func<JsonElement, string?> message = items.ErrorMessagePaths.Count > 0 ? item => PathEvaluator.FirstText(items.ErrorMessagePaths, root, item) : _ => null;
        Func<JsonElement, string?> code = items.ErrorCodePath is { } c ? item => JsonNavigation.AsText(PathEvaluator.First(c, root, item)) : _ => null;
        return items.Match == ItemMatch.Id
            ? BatchItemResult.ById(ids, source, item => JsonNavigation.AsText(PathEvaluator.First(items.IdPath!, root, item)), succeeded, message, code)
            : BatchItemResult.ByPosition(ids, source, succeeded, message, code);
    }

    private static bool Holds(PredicateSpec predicate, JsonElement? root, JsonElement item)
    {
        var node = PathEvaluator.First(predicate.Path, root, item);
        return predicate.Kind switch
        {
            PredicateKind.IsString => node is { ValueKind: JsonValueKind.String },
            PredicateKind.EqualsValue => JsonNavigation.EqualsLiteral(node, PathEvaluator.Kind(predicate.Value!.Kind), predicate.Value.Text),
            _ => JsonNavigation.Exists(node),
        };
    }
}
