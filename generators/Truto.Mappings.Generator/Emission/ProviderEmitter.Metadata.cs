using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Adapters;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;
using Truto.Mappings.Generator.Parsing;

namespace Truto.Mappings.Generator.Emission;

/// <summary>What the adapter and each operation tell about themselves: <c>ProviderInfo</c>, <c>OperationInfo</c> and the unified fields they cover.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteInfo()
    {
        var operations = string.Join(", ", _provider.Methods.Select(m => $"{ResourceClass}.{OperationNames.Identifier(m.Name)}.Instance.Info"));
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override ProviderInfo Info {{ get; }} = new(");
        _code.Line($"    {CodeWriter.Literal(_provider.Name)},");
        _code.Line($"    {CodeWriter.Literal(_provider.DisplayName)},");
        _code.Line($"    {CodeWriter.Literal(_provider.DocsUrl)},");
        _code.Line($"    {StringArray(_provider.ContextKeys)},");
        _code.Line($"    new OperationInfo[] {{ {operations} }})");
        _code.Open();
        if (_provider.RateLimit is { Windows.Count: > 0 } rate)
        {
            _code.Line($"Rates = [{string.Join(", ", rate.Windows.Select(Window))}],");
        }
        _code.Line("Context = new ContextKey[]");
        _code.Open();
        foreach (var key in _provider.Context)
        {
            _code.Line($"new({CodeWriter.Literal(key.Name)}, {Member(key.Type)}, Secret: {Bool(key.Secret)}, Label: {CodeWriter.Literal(key.Label)}, Help: {CodeWriter.Literal(key.Help)}, Required: {Bool(key.Required)}, Shape: {Shape(key)}),");
        }
        _code.Close(",");
        if (_provider.RequiredContextChoices.Count > 0)
        {
            _code.Line($"RequiredContextChoices = new string[][] {{ {string.Join(", ", _provider.RequiredContextChoices.Select(c => StringArray(c)))} }},");
        }
        _code.Line($"Hosts = {StringArray(_provider.Hosts)},");
        if (_provider.OAuth2 is { } oauth)
        {
            WriteOAuth2Info(oauth);
        }
        _code.Close(";");
    }

    private static string Shape(ContextKeySpec key)
        => key.Shape is { } shape ? $"new({Member(shape)}, {StringArray(key.ShapeValues)})" : "null";

    private static string Bool(bool value) => value ? "true" : "false";

    private static IEnumerable<string> CoveredFields(EquatableArray<FieldMapping> mappings, string prefix)
    {
        foreach (var mapping in mappings)
        {
            yield return prefix + mapping.Field;
            foreach (var nested in CoveredFields(mapping.Fields, prefix + mapping.Field + "."))
            {
                yield return nested;
            }
        }
    }

    /// <summary>
    /// The operation's description, and what the runtime checks and decides by: the resource's id
    /// pattern (anchored, culture invariant, with a match timeout), the separator joined ids travel
    /// with, whether ids go out as JSON numbers, and whether a repeat after a timeout is safe.
    /// </summary>
    /// <param name="sameAs">
    /// The operation whose response and ids this one shares (a fan-out's per-id method): its covered
    /// fields and id pattern are referred to, not emitted and built a second time.
    /// </param>
    /// <summary>One rate-limit window as a target-typed <c>RequestRate</c>; the scope only when it is not the default.</summary>
    private static string Window(RequestRateSpec w)
        => $"new({w.Requests.ToString(CultureInfo.InvariantCulture)}, TimeSpan.FromSeconds({w.PerSeconds.ToString(CultureInfo.InvariantCulture)}), {w.Burst.ToString(CultureInfo.InvariantCulture)})"
            + (w.PerApp ? " { Scope = RateLimitScope.App }" : "");

    private void WriteOperationInfo(string method, BatchStrategy strategy, int maxIds, int concurrency, EquatableArray<FieldMapping> response, string requestFields, string? idSeparator, bool idempotent, string? sameAs = null, bool numericIds = false)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override OperationInfo Info {{ get; }} = new(");
        _code.Line($"    {CodeWriter.Literal(_provider.Resource)}, {CodeWriter.Literal(method)}, {Member(strategy)}, {maxIds.ToString(CultureInfo.InvariantCulture)}, {concurrency.ToString(CultureInfo.InvariantCulture)},");
        _code.Line(sameAs is null ? $"    {StringArray(CoveredFields(response, ""))}," : $"    {sameAs}.Instance.Info.ResponseFields,");
        _code.Line($"    new RequestFieldCoverage[] {{ {requestFields} }})");
        _code.Open();
        if (_provider.IdPattern is not null && sameAs is not null)
        {
            _code.Line($"IdPattern = {sameAs}.Instance.Info.IdPattern,");
        }
        else if (_provider.IdPattern is { } pattern)
        {
            // The timeout stops a pattern that backtracks without end; it is wall-clock time, so it must
            // also leave room for a busy machine (100 ms failed whole batches on a loaded 2-core CI host).
            _code.Line($"IdPattern = new Regex({CodeWriter.Literal(ProviderFileParser.AnchoredIdPattern(pattern))}, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),");
        }
        if (idSeparator is not null)
        {
            _code.Line($"IdSeparator = {CodeWriter.Literal(idSeparator)},");
        }
        if (numericIds)
        {
            _code.Line("NumericIds = true,");
        }
        _code.Line($"Idempotent = {Bool(idempotent)},");
        _code.Close(";");
    }

    private static string BatchRequestFields(BatchSpec batch)
    {
        // The ids are required where the mapping sends them and accepted in the other place too.
        var optional = batch.IdsRequiredIn == FieldLocation.Query ? FieldLocation.Body : FieldLocation.Query;
        return $"new(\"id\", {Member(batch.IdsRequiredIn)}, true), new(\"id\", {Member(optional)}, false)";
    }

    private static string StringArray(IEnumerable<string> values)
        => $"new string[] {{ {string.Join(", ", values.Select(CodeWriter.Literal))} }}";
}
