using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// Emits one adapter class per provider file, holding what is provider-wide (info, base URL, auth,
/// common headers, errors, rate-limit headers), and nested in it one operation type per schema
/// method the provider maps (<c>HubspotAdapter.Contacts.BatchDelete</c>): request building,
/// success checks, batch items and field mapping, all as straight-line C# over
/// <c>JsonElement</c> and <c>Utf8JsonWriter</c>.
/// </summary>
internal sealed class ProviderEmitter
{
    public const string Namespace = "Truto.Mappings.Providers";
    private const string Adapters = "global::Truto.Mappings.Adapters";
    private const string Json = "global::Truto.Mappings.Json";
    private const string ElementType = "global::System.Text.Json.JsonElement";

    private readonly ProviderSpec _provider;
    private readonly CodeWriter _code;
    private readonly PathCompiler _paths = new();

    private ProviderEmitter(ProviderSpec provider, CodeWriter code)
    {
        _provider = provider;
        _code = code;
    }

    /// <summary>
    /// Names come from the file (<c>providers/zendesk_sell.yaml</c> → <c>ZendeskSellAdapter</c>), which is
    /// unique, rather than from <c>name</c>, which two files may wrongly share (TM0009): a duplicate
    /// must be a diagnostic, not a clash of generated names.
    /// </summary>
    public static string ClassName(string filePath) => FileIdentifier(filePath) + "Adapter";

    public static string HintName(ProviderSpec provider) => FileIdentifier(provider.FilePath) + "." + OperationNames.Identifier(provider.Resource) + ".g.cs";

    /// <summary>The generated operation type of a method: <c>HubspotAdapter.Contacts.BatchDelete</c>.</summary>
    public static string OperationTypeName(string filePath, string resource, string method)
        => ClassName(filePath) + "." + OperationNames.Identifier(resource) + "." + OperationNames.Identifier(method);

    private static string FileIdentifier(string filePath)
    {
        var normalized = filePath.Replace('\\', '/');
        var folder = normalized.LastIndexOf("/providers/", System.StringComparison.Ordinal);
        var relative = folder >= 0 ? normalized.Substring(folder + "/providers/".Length) : System.IO.Path.GetFileName(normalized);
        var dot = relative.LastIndexOf('.');
        return CodeWriter.Identifier(dot > 0 ? relative.Substring(0, dot) : relative);
    }

    public static string Emit(ProviderSpec provider)
    {
        using var code = new CodeWriter(SourceName(provider.FilePath));
        new ProviderEmitter(provider, code).WriteClass();
        return code.ToString();
    }

    /// <summary>The file name from "mappings/" on, so generated text does not depend on the machine.</summary>
    public static string SourceName(string filePath)
    {
        var normalized = filePath.Replace('\\', '/');
        var index = normalized.LastIndexOf("/mappings/", System.StringComparison.Ordinal);
        return index >= 0 ? normalized.Substring(index + 1) : System.IO.Path.GetFileName(normalized);
    }

    private void WriteClass()
    {
        var name = ClassName(_provider.FilePath);
        _code.Line($"namespace {Namespace};");
        _code.Line();
        _code.Line($"/// <summary>{CodeWriter.Xml(_provider.DisplayName)} {CodeWriter.Xml(_provider.Resource)}, compiled from <c>{CodeWriter.Xml(SourceName(_provider.FilePath))}</c>.</summary>");
        _code.Line(CodeWriter.GeneratedCodeAttribute);
        _code.Open($"public sealed class {name} : {Adapters}.ProviderAdapter");
        _code.Line("/// <summary>The one instance; adapters hold no state.</summary>");
        _code.Line($"public static {name} Instance {{ get; }} = new();");
        _code.Line();
        _code.Open($"private {name}()");
        _code.Close();
        WriteInfo();
        WriteBaseUrl();
        WriteAuthenticate();
        WriteCommonHeaders();
        WriteErrors();
        WriteRateLimit();
        WriteOperations(name);
        _paths.WriteMethods(_code);
        _code.Close();
    }

    private string ResourceClass => OperationNames.Identifier(_provider.Resource);

    private void WriteInfo()
    {
        var operations = string.Join(", ", _provider.Methods.Select(m => $"{ResourceClass}.{OperationNames.Identifier(m.Name)}.Instance.Info"));
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override {Adapters}.ProviderInfo Info {{ get; }} = new(");
        _code.Line($"    {CodeWriter.Literal(_provider.Name)},");
        _code.Line($"    {CodeWriter.Literal(_provider.DisplayName)},");
        _code.Line($"    {CodeWriter.Literal(_provider.DocsUrl)},");
        _code.Line($"    {StringArray(_provider.ContextKeys)},");
        var rate = _provider.RateLimit?.Rate is { } r
            ? $" {{ Rate = new({r.Requests.ToString(CultureInfo.InvariantCulture)}, global::System.TimeSpan.FromSeconds({r.PerSeconds.ToString(CultureInfo.InvariantCulture)}), {r.Burst.ToString(CultureInfo.InvariantCulture)}) }}"
            : "";
        _code.Line($"    new {Adapters}.OperationInfo[] {{ {operations} }}){rate};");
    }

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

    private void WriteBaseUrl()
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line("public override string BuildBaseUrl(global::Truto.Mappings.Accounts.AccountContext context)");
        _code.Line($"    => {Text(_provider.BaseUrl, TextPlace.Url, "context", null)};");
    }

    private void WriteAuthenticate()
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void Authenticate({Adapters}.ProviderRequest request, global::Truto.Mappings.Accounts.AccountContext context)");
        var auth = _provider.Auth;
        switch (auth.Kind)
        {
            case AuthKind.Bearer:
                _code.Line($"request.SecretHeaders.Add(new(\"Authorization\", \"Bearer \" + {Text(auth.Token!, TextPlace.Plain, "context", null)}));");
                break;
            case AuthKind.Basic:
                var pair = $"{Text(auth.Username!, TextPlace.Plain, "context", null)} + \":\" + {Text(auth.Password!, TextPlace.Plain, "context", null)}";
                _code.Line($"var credentials = global::System.Convert.ToBase64String(global::System.Text.Encoding.UTF8.GetBytes({pair}));");
                _code.Line("request.SecretHeaders.Add(new(\"Authorization\", \"Basic \" + credentials));");
                break;
            default:
                foreach (var header in auth.Headers)
                {
                    _code.Line($"request.SecretHeaders.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "context", null)}));");
                }
                break;
        }
        _code.Close();
    }

    private void WriteCommonHeaders()
    {
        if (_provider.Headers.Count == 0)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void AddHeaders({Adapters}.ProviderRequest request, global::Truto.Mappings.Accounts.AccountContext context)");
        _code.Line("global::System.ArgumentNullException.ThrowIfNull(request);");
        foreach (var header in _provider.Headers)
        {
            _code.Line($"request.Headers.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "context", null)}));");
        }
        _code.Close();
    }

    /// <summary>One nested type per method: <c>{Adapter}.{Resource}.{Method}</c>, named by <see cref="OperationNames"/>.</summary>
    private void WriteOperations(string adapterName)
    {
        _code.Line();
        _code.Line($"/// <summary>The {CodeWriter.Xml(_provider.Resource)} methods {CodeWriter.Xml(_provider.DisplayName)} maps, one operation type each.</summary>");
        _code.Open($"public static class {ResourceClass}");
        var first = true;
        foreach (var method in _provider.Methods)
        {
            if (!first)
            {
                _code.Line();
            }
            first = false;
            if (method.Single is { } single)
            {
                WriteSingleOperation(adapterName, method.Name, single);
            }
            else if (method.Batch is { Strategy: BatchStrategy.FanOut } fanOut)
            {
                WriteFanOutOperation(method.Name, fanOut);
            }
            else
            {
                WriteNativeBatchOperation(adapterName, method.Name, method.Batch!);
            }
        }
        _code.Close();
    }

    private void WriteSingleOperation(string adapterName, string method, OperationSpec single)
    {
        var type = OperationNames.Identifier(method);
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: one id, one provider call.</summary>");
        _code.Open($"public sealed class {type} : {Adapters}.SingleIdOperation");
        WriteOperationHeader(type, null);
        WriteProvider(adapterName);
        WriteOperationInfo(method, "Native", 1, 1, single.Response, $"new(\"id\", {Adapters}.FieldLocation.Path, true)");
        WriteBuildRequest(single.Request);
        WriteStatusChecks(single.Request);
        WriteContactMapping(single.Response);
        _code.Close();
    }

    private void WriteNativeBatchOperation(string adapterName, string method, BatchSpec batch)
    {
        var type = OperationNames.Identifier(method);
        var maxIds = batch.MaxIds.ToString(CultureInfo.InvariantCulture);
        var concurrency = batch.Concurrency.ToString(CultureInfo.InvariantCulture);
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: its batch endpoint, {maxIds} ids per call, {concurrency} calls at a time.</summary>");
        _code.Open($"public sealed class {type} : {Adapters}.BatchOperation");
        WriteOperationHeader(type, null);
        WriteProvider(adapterName);
        WriteOperationInfo(method, "Native", batch.MaxIds, batch.Concurrency, batch.Response, BatchRequestFields(batch));
        WriteBuildRequest(batch.Request!);
        WriteStatusChecks(batch.Request!);
        WriteBatchItems(batch);
        WriteContactMapping(batch.Response);
        _code.Close();
    }

    private void WriteFanOutOperation(string method, BatchSpec batch)
    {
        var type = OperationNames.Identifier(method);
        var perId = OperationNames.Identifier(batch.FanOutTo!);
        var response = _provider.Methods.FirstOrDefault(m => m.Name == batch.FanOutTo)?.Single?.Response ?? [];
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: each id through <see cref=\"{perId}\"/>, {batch.Concurrency.ToString(CultureInfo.InvariantCulture)} at a time.</summary>");
        _code.Open($"public sealed class {type} : {Adapters}.FanOutOperation");
        WriteOperationHeader(type, $"{perId}.Instance");
        WriteOperationInfo(method, "FanOut", 1, batch.Concurrency, response, BatchRequestFields(batch));
        _code.Close();
    }

    private void WriteOperationHeader(string type, string? baseArgument)
    {
        _code.Line("/// <summary>The one instance; operations hold no state.</summary>");
        _code.Line($"public static {type} Instance {{ get; }} = new();");
        _code.Line();
        if (baseArgument is null)
        {
            _code.Open($"private {type}()");
        }
        else
        {
            _code.Line($"private {type}()");
            _code.Line($"    : base({baseArgument})");
            _code.Open();
        }
        _code.Close();
    }

    private void WriteProvider(string adapterName)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override {Adapters}.ProviderAdapter Provider => {adapterName}.Instance;");
    }

    private void WriteOperationInfo(string method, string strategy, int maxIds, int concurrency, EquatableArray<FieldMapping> response, string requestFields)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override {Adapters}.OperationInfo Info {{ get; }} = new(");
        _code.Line($"    {CodeWriter.Literal(_provider.Resource)}, {CodeWriter.Literal(method)}, {Adapters}.BatchStrategy.{strategy}, {maxIds.ToString(CultureInfo.InvariantCulture)}, {concurrency.ToString(CultureInfo.InvariantCulture)},");
        _code.Line($"    {StringArray(CoveredFields(response, ""))},");
        _code.Line($"    new {Adapters}.RequestFieldCoverage[] {{ {requestFields} }});");
    }

    private static string BatchRequestFields(BatchSpec batch)
    {
        var required = batch.IdsRequiredIn == IdsLocation.Query ? "Query" : "Body";
        var optional = batch.IdsRequiredIn == IdsLocation.Query ? "Body" : "Query";
        return $"new(\"id\", {Adapters}.FieldLocation.{required}, true), new(\"id\", {Adapters}.FieldLocation.{optional}, false)";
    }

    private void WriteBuildRequest(RequestSpec request)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void BuildRequest({Adapters}.ProviderRequest request, {Adapters}.RequestValues values)");
        _code.Line("global::System.ArgumentNullException.ThrowIfNull(request);");
        _code.Line("global::System.ArgumentNullException.ThrowIfNull(values);");
        _code.Line($"request.Method = {CodeWriter.Literal(request.Method)};");
        _code.Line($"request.Path = {Text(request.Path, TextPlace.Path, "values.Context", "values.Id")};");
        foreach (var query in request.Query)
        {
            _code.Line($"request.Query.Add(new({CodeWriter.Literal(query.Name)}, {Text(query.Value, TextPlace.Plain, "values.Context", "values.Id")}));");
        }
        foreach (var header in request.Headers)
        {
            _code.Line($"request.Headers.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "values.Context", "values.Id")}));");
        }
        if (request.Body is { } body)
        {
            _code.Line("var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();");
            _code.Open("using (var json = new global::System.Text.Json.Utf8JsonWriter(buffer))");
            WriteBodyValue(body, "values.Id", 0);
            _code.Close();
            _code.Line("request.Body = buffer.WrittenMemory;");
        }
        _code.Close();
    }

    private void WriteBodyValue(BodyNode node, string id, int depth)
    {
        switch (node.Kind)
        {
            case BodyKind.Object:
                _code.Line("json.WriteStartObject();");
                foreach (var property in node.Properties)
                {
                    _code.Line($"json.WritePropertyName({CodeWriter.Utf8Literal(property.Name)});");
                    WriteBodyValue(property.Value, id, depth);
                }
                _code.Line("json.WriteEndObject();");
                break;
            case BodyKind.Array:
                _code.Line("json.WriteStartArray();");
                foreach (var item in node.Items)
                {
                    WriteBodyValue(item, id, depth);
                }
                _code.Line("json.WriteEndArray();");
                break;
            case BodyKind.EachId:
                var variable = "id" + depth.ToString(CultureInfo.InvariantCulture);
                _code.Line("json.WriteStartArray();");
                _code.Open($"foreach (var {variable} in values.Ids)");
                WriteBodyValue(node.Items[0], variable, depth + 1);
                _code.Close();
                _code.Line("json.WriteEndArray();");
                break;
            case BodyKind.Literal:
                _code.Line(node.Literal switch
                {
                    "null" => "json.WriteNullValue();",
                    "true" => "json.WriteBooleanValue(true);",
                    "false" => "json.WriteBooleanValue(false);",
                    _ => $"json.WriteRawValue({CodeWriter.Literal(node.Literal)});",
                });
                break;
            default:
                var template = node.Template!;
                if (template.IsSinglePlaceholder && template.Parts[0].Placeholder!.IsList)
                {
                    _code.Line("json.WriteStartArray();");
                    _code.Open("foreach (var each in values.Ids)");
                    _code.Line("json.WriteStringValue(each);");
                    _code.Close();
                    _code.Line("json.WriteEndArray();");
                }
                else
                {
                    _code.Line($"json.WriteStringValue({Text(template, TextPlace.Plain, "values.Context", id)});");
                }
                break;
        }
    }

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
            _code.Line($"public override bool ReportsFailure({ElementType} body) => {Json}.JsonNavigation.IsPresent({_paths.First(failureWhen, "body", "body")});");
        }
    }

    private void WriteErrors()
    {
        var errors = _provider.Errors;
        if (errors.MessagePaths.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override string? ReadErrorMessage({ElementType} body)");
            _code.Line($"    => {FirstText(errors.MessagePaths, "body", "body")};");
        }
        if (errors.CodePaths.Count > 0)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line($"public override string? ReadErrorCode({ElementType} body)");
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

    private void WriteBatchItems(BatchSpec batch)
    {
        if (batch.Items is not { } items)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override global::System.Collections.Generic.IReadOnlyList<{Adapters}.BatchItemResult>? ReadBatchItems({ElementType} body, global::System.Collections.Generic.IReadOnlyList<string> ids)");
        _code.Line($"var root = ({ElementType}?)body;");
        var source = _paths.Items(items.Path, "root", "root");
        var succeeded = items.SucceededWhen is { } predicate
            ? Predicate(predicate)
            : items.ErrorMessagePaths.Count > 0 ? $"{FirstText(items.ErrorMessagePaths, "root", "item")} is null" : "true";
        var message = items.ErrorMessagePaths.Count > 0 ? FirstText(items.ErrorMessagePaths, "root", "item") : "null";
        var code = items.ErrorCodePath is { } c ? $"{Json}.JsonNavigation.AsText({_paths.First(c, "root", "item")})" : "null";
        if (items.Match == ItemMatch.Id)
        {
            var id = $"{Json}.JsonNavigation.AsText({_paths.First(items.IdPath!, "root", "item")})";
            _code.Line($"return {Adapters}.BatchItemResult.ById(ids, {source},");
            _code.Line($"    {Lambda(id)},");
        }
        else
        {
            _code.Line($"return {Adapters}.BatchItemResult.ByPosition(ids, {source},");
        }
        _code.Line($"    {Lambda(succeeded)},");
        _code.Line($"    {Lambda(message)},");
        _code.Line($"    {Lambda(code)});");
        _code.Close();
    }

    /// <summary>A lambda over one batch item (<c>@</c>); it may read the root too, for filters that compare with <c>$</c>.</summary>
    private static string Lambda(string body)
        => System.Text.RegularExpressions.Regex.IsMatch(body, @"\bitem\b") ? $"element => {{ var item = ({ElementType}?)element; return {body}; }}" : $"_ => {body}";

    private string Predicate(PredicateSpec predicate)
    {
        var node = _paths.First(predicate.Path, "root", "item");
        return predicate.Kind switch
        {
            PredicateKind.IsString => $"{node} is {{ ValueKind: global::System.Text.Json.JsonValueKind.String }}",
            PredicateKind.EqualsValue => $"{Json}.JsonNavigation.EqualsLiteral({node}, global::System.Text.Json.JsonValueKind.{LiteralKindName(predicate.Value!.Kind)}, {CodeWriter.Literal(predicate.Value.Text)})",
            _ => $"{Json}.JsonNavigation.Exists({node})",
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
        => string.Join(" ?? ", paths.Select(p => $"{Json}.JsonNavigation.AsText({_paths.First(p, root, current)})"));

    private void WriteContactMapping(EquatableArray<FieldMapping> mappings)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open("public override void WriteContact(global::Truto.Mappings.Formats.ContactWriter writer, global::Truto.Mappings.Formats.MappingInput input)");
        _code.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
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
                _code.Line($"var {item} = ({ElementType}?)element{depth.ToString(CultureInfo.InvariantCulture)};");
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
            ValueKind.Path => $"{Json}.MappedValue.From({_paths.First(value.Path!, root, current)})",
            ValueKind.Template => $"{Json}.MappedValue.From({Text(value.Template!, TextPlace.Plain, null, "input.Id")})",
            ValueKind.Constant => $"{Json}.MappedValue.From({CodeWriter.Literal(value.Constant)})",
            _ => $"{Json}.MappedValue.FirstOf({string.Join(", ", value.Alternatives.Select(a => Value(a, root, current)))})",
        };
        foreach (var transform in value.Transforms)
        {
            var argument = transform.Argument is null ? "" : ", " + CodeWriter.Literal(transform.Argument);
            expression = $"{Json}.MappingTransforms.{transform.Transform.Method}({expression}{argument})";
        }
        return expression;
    }

    private void WriteRateLimit()
    {
        if (_provider.RateLimit is not { } rate)
        {
            return;
        }
        var format = "global::Truto.Mappings.Formats.ResetFormat." + rate.ResetFormat;
        var parts = new List<string>();
        if (rate.PatternHeader is not null && rate.Pattern is not null)
        {
            _code.Line();
            _code.Line("private static readonly global::System.Text.RegularExpressions.Regex RateLimitPattern =");
            _code.Line($"    new({CodeWriter.Literal(rate.Pattern)}, global::System.Text.RegularExpressions.RegexOptions.CultureInvariant, global::System.TimeSpan.FromSeconds(1));");
            parts.Add($"global::Truto.Mappings.Formats.RateLimitInfo.FromPattern(header({CodeWriter.Literal(rate.PatternHeader)}), RateLimitPattern, {format}, now)");
        }
        if (rate.LimitHeader is not null || rate.RemainingHeader is not null || rate.ResetHeader is not null)
        {
            string Header(string? name) => name is null ? "null" : $"header({CodeWriter.Literal(name)})";
            parts.Add($"global::Truto.Mappings.Formats.RateLimitInfo.FromHeaders({Header(rate.LimitHeader)}, {Header(rate.RemainingHeader)}, {Header(rate.ResetHeader)}, {format}, now)");
        }
        if (parts.Count == 0)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open("public override global::Truto.Mappings.Formats.RateLimitInfo ReadRateLimit(global::System.Func<string, string?> header, global::System.DateTimeOffset now)");
        _code.Line("global::System.ArgumentNullException.ThrowIfNull(header);");
        _code.Line($"return {string.Join(".Or(", parts)}{new string(')', parts.Count - 1)};");
        _code.Close();
    }

    private enum TextPlace
    {
        /// <summary>Values go in as they are (headers, query values the runtime encodes later, JSON strings).</summary>
        Plain,

        /// <summary>A path: every placeholder is percent-encoded, so no value can change the path.</summary>
        Path,

        /// <summary>A base URL: context values (hosts, instance URLs) go in as they are.</summary>
        Url,
    }

    /// <summary>A C# string expression for a template.</summary>
    private static string Text(Template template, TextPlace place, string? context, string? id)
    {
        var parts = new List<string>();
        foreach (var part in template.Parts)
        {
            if (part.Literal is not null)
            {
                parts.Add(CodeWriter.Literal(part.Literal));
                continue;
            }
            var placeholder = part.Placeholder!;
            var value = placeholder.Source switch
            {
                PlaceholderSource.Context => $"{context ?? "values.Context"}.Require({CodeWriter.Literal(placeholder.ContextKey)})",
                PlaceholderSource.Id => id ?? "values.Id",
                _ when place == TextPlace.Path => $"string.Join({CodeWriter.Literal(global::System.Uri.EscapeDataString(placeholder.JoinSeparator ?? ","))}, global::System.Linq.Enumerable.Select(values.Ids, global::System.Uri.EscapeDataString))",
                _ => $"string.Join({CodeWriter.Literal(placeholder.JoinSeparator ?? ",")}, values.Ids)",
            };
            if (place == TextPlace.Path && placeholder.Source != PlaceholderSource.Ids)
            {
                value = $"global::System.Uri.EscapeDataString({value})";
            }
            parts.Add(value);
        }
        return parts.Count switch
        {
            0 => "\"\"",
            1 => parts[0],
            _ => $"string.Concat({string.Join(", ", parts)})",
        };
    }

    private static string StringArray(IEnumerable<string> values)
        => $"new string[] {{ {string.Join(", ", values.Select(CodeWriter.Literal))} }}";
}
