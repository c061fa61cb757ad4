using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>Which statuses succeed, when a 2xx body reports a failure, and the provider's error message, code and code sets.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteStatusChecks(RequestSpec request)
    {
        if (request.SuccessStatuses.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override bool IsSuccessStatus(int status) => status is {string.Join(" or ", request.SuccessStatuses)};");
        }
        if (request.FailureWhen is { } failureWhen)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override bool ReportsFailure(JsonElement body) => JsonNavigation.IsPresent({_paths.First(failureWhen, "body", "body", AccessPlan.None)});");
        }
    }

    private void WriteErrors()
    {
        var errors = _provider.Errors;
        if (errors.MessagePaths.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override string? ReadErrorMessage(JsonElement body)");
            _code.Line($"    => {FirstText(errors.MessagePaths, "body", "body")};");
        }
        if (errors.CodePaths.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override string? ReadErrorCode(JsonElement body)");
            _code.Line($"    => {FirstText(errors.CodePaths, "body", "body")};");
        }
        if (errors.StatusByCode.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line("public override int? StatusForErrorCode(string code) => code switch");
            _code.Line("{");
            foreach (var entry in errors.StatusByCode)
            {
                _code.Line($"    {CodeWriter.Literal(entry.Code)} => {entry.Status.ToString(CultureInfo.InvariantCulture)},");
            }
            _code.Line("    _ => null,");
            _code.Line("};");
        }
        WriteCodeSet("IsRateLimitCode", errors.RateLimitCodes);
        WriteCodeSet("IsGoneCode", errors.GoneCodes);
    }

    private void WriteCodeSet(string method, EquatableArray<string> codes)
    {
        if (codes.Count == 0)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override bool {method}(string code) => code is {string.Join(" or ", codes.Select(CodeWriter.Literal))};");
    }
}
