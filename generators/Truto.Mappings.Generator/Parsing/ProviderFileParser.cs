using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Truto.Mappings.Adapters;
using Truto.Mappings.Expressions;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Parses and validates one provider file (<c>mappings/providers/{name}.yaml</c>) against the
/// unified schema. Never throws on bad input: every problem becomes a diagnostic.
/// </summary>
internal sealed partial class ProviderFileParser
{
    public static readonly string[] Methods = ["DELETE", "POST", "GET", "PUT", "PATCH"];
    private static readonly Regex NamePattern = new("^[a-z][a-z0-9_]*$");

    private readonly ParseContext _context;
    private readonly ProviderSchema _schema;
    private readonly SortedSet<string> _contextKeys = new(System.StringComparer.Ordinal);
    private readonly List<ContextRead> _contextReads = [];

    private LocationInfo? _nameLocation;

    private ProviderFileParser(ParseContext context, ProviderSchema schema)
    {
        _context = context;
        _schema = schema;
    }

    /// <summary>The provider's model (null on any error), every diagnostic, and where <c>name:</c> is declared (kept out of the model, see <see cref="ParsedProvider"/>).</summary>
    public static (ProviderSpec? Provider, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? NameLocation) Parse(string filePath, string text, ProviderSchema schema)
    {
        var context = new ParseContext(filePath);
        var root = context.Load(text);
        var parser = new ProviderFileParser(context, schema);
        var provider = root is null ? null : parser.ParseRoot(root);
        return (context.HasErrors ? null : provider, context.Diagnostics.ToEquatableArray(), parser._nameLocation);
    }

    private ProviderSpec? ParseRoot(YamlMappingNode root)
    {
        // The operations live under the schema's resource (contacts), one key per schema method.
        var resource = _schema.Resource;
        var reader = new MappingReader(_context, root, "", "name", "display_name", "docs_url", "base_url", "hosts", "context", "auth", OAuthKey, "headers", "errors", "rate_limit", resource);
        var nameNode = reader.Scalar("name", required: true);
        _nameLocation = nameNode is null ? null : _context.Locate(nameNode);
        if (nameNode is not null && !NamePattern.IsMatch(nameNode.Value ?? ""))
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, nameNode, "name", nameNode.Value ?? "", "lower-case letters, digits and '_', starting with a letter (it is the integration name accounts use)");
        }
        var displayName = reader.String("display_name", required: true);
        var baseUrlNode = reader.Scalar("base_url", required: true);
        var baseUrl = baseUrlNode is null ? null : Collect(_context.ParseTemplate(baseUrlNode, "base_url", TemplateUse.Url, PlaceholderSource.Context), baseUrlNode, "base_url");
        var hosts = ParseHosts(reader);
        var declared = reader.Mapping("context") is { } contextNode ? ParseContextSection(contextNode) : [];
        var (auth, alternatives) = reader.Get("auth") is YamlSequenceNode list
            ? ParseAuthAlternatives(list, declared)
            : (reader.Mapping("auth", required: true) is { } a ? ParseAuth(a) : null, []);
        var headers = ParseNamedTemplates(reader, "headers", PlaceholderSource.Context);
        var errors = reader.Mapping("errors") is { } e ? ParseErrors(e) : new ErrorSpec([], [], [], [], []);
        var rateLimit = reader.Mapping("rate_limit") is { } r ? ParseRateLimit(r) : null;
        // After auth and errors: the block checks that auth sends its access token and errors read codes.
        var oauth2 = reader.Mapping(OAuthKey) is { } o ? ParseOAuth2(KeyOf(root, OAuthKey), o, errors, declared) : null;

        var methods = new List<MethodMapping>();
        string? idPattern = null;
        if (reader.Mapping(resource, required: true) is { } resourceNode)
        {
            var operations = new MappingReader(_context, resourceNode, resource, [.. _schema.Methods.Select(m => m.Name), "id_pattern"]);
            idPattern = ParseIdPattern(operations);
            // fan_out sends each id through the resource's single-id method, when the provider maps it.
            var perId = _schema.Methods.FirstOrDefault(m => m.Shape == OperationShape.Single)?.Name;
            var fanOutTo = perId is not null && operations.Get(perId) is not null ? perId : null;
            foreach (var method in _schema.Methods)
            {
                if (operations.Mapping(method.Name) is not { } node)
                {
                    continue;
                }
                var where = resource + "." + method.Name;
                if (method.Shape == OperationShape.Single && ParseDelete(node, where) is { } single)
                {
                    methods.Add(new MethodMapping(method.Name, method.Shape, single, null));
                }
                else if (method.Shape == OperationShape.Batch && ParseBatch(node, where, perId is null ? "a single-id method of " + resource : resource + "." + perId, fanOutTo) is { } batch)
                {
                    methods.Add(new MethodMapping(method.Name, method.Shape, null, batch));
                }
            }
            if (_schema.Methods.All(m => operations.Get(m.Name) is null))
            {
                _context.Report(DiagnosticDescriptors.MissingKey, resourceNode, (_schema.Methods.Count > 0 ? _schema.Methods[0].Name : "delete"), resource + " (a provider maps at least one method)");
            }
        }

        var context = CheckContextReads(declared, conditional: alternatives.Count > 0);
        if (baseUrlNode is not null && baseUrl is not null)
        {
            CheckBaseUrl(baseUrlNode, baseUrl, hosts, context);
        }
        CheckAlternativeBaseUrls(hosts, context);
        CheckOAuthUrls(hosts, context);

        if (nameNode?.Value is null || displayName is null || baseUrl is null || auth is null)
        {
            return null;
        }
        return new ProviderSpec(
            _context.FilePath, nameNode.Value, displayName, reader.String("docs_url"), baseUrl, auth, headers, errors, rateLimit,
            resource, methods.ToEquatableArray(), _contextKeys.ToEquatableArray())
        {
            Context = context.ToEquatableArray(),
            Hosts = hosts,
            IdPattern = idPattern,
            OAuth2 = oauth2,
            AuthAlternatives = alternatives,
            RequiredContextChoices = RequiredChoices(),
        };
    }

    /// <summary>The key node of a top-level entry, where diagnostics about the whole block stand.</summary>
    private static YamlScalarNode KeyOf(YamlMappingNode root, string key)
        => root.Children.Keys.OfType<YamlScalarNode>().First(k => k.Value == key);

    private AuthSpec? ParseAuth(YamlMappingNode node, string where = "auth", params string[] extraKeys)
    {
        var reader = new MappingReader(_context, node, where, ["type", "token", "username", "password", "headers", .. extraKeys]);
        var type = reader.OneOf("type", true, "bearer", "basic", "headers");
        Template? Value(string key, bool required) =>
            reader.Scalar(key, required) is { } s ? Collect(_context.ParseTemplate(s, where + "." + key, PlaceholderSource.Context), s, where + "." + key) : null;
        switch (type)
        {
            case "bearer":
                return Value("token", true) is { } token ? new AuthSpec(AuthKind.Bearer, token, null, null, []) : null;
            case "basic":
                var username = Value("username", true);
                var password = Value("password", false) ?? new Template([], "");
                return username is null ? null : new AuthSpec(AuthKind.Basic, null, username, password, []);
            case "headers":
                if (reader.Get("headers") is null)
                {
                    reader.Require("headers");
                    return null;
                }
                return new AuthSpec(AuthKind.Headers, null, null, null, ParseNamedTemplates(reader, "headers", PlaceholderSource.Context));
            default:
                return null;
        }
    }

    private ErrorSpec ParseErrors(YamlMappingNode node)
    {
        var reader = new MappingReader(_context, node, "errors", "message", "code", "rate_limit_codes", "gone_codes", "status_by_code");
        var statusByCode = new List<StatusByCode>();
        if (reader.Mapping("status_by_code") is { } map)
        {
            foreach (var (key, value) in new MappingReader(_context, map, "errors.status_by_code").Entries)
            {
                if (value is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599)
                {
                    statusByCode.Add(new StatusByCode(key.Value!, status));
                }
                else
                {
                    _context.Report(DiagnosticDescriptors.WrongType, value, "errors.status_by_code." + key.Value, "an HTTP error status from 400 to 599", ParseContext.Describe(value));
                }
            }
        }
        return new ErrorSpec(
            Paths(reader, "message"),
            Paths(reader, "code"),
            reader.ScalarList("rate_limit_codes").Select(s => s.Value!).Distinct(System.StringComparer.Ordinal).ToEquatableArray(),
            reader.ScalarList("gone_codes").Select(s => s.Value!).Distinct(System.StringComparer.Ordinal).ToEquatableArray(),
            statusByCode.ToEquatableArray());
    }

    private RateLimitSpec ParseRateLimit(YamlMappingNode node)
    {
        var reader = new MappingReader(_context, node, "rate_limit", "limit", "remaining", "reset", "reset_format", "header", "pattern", "requests", "per_seconds", "burst", "per", "windows");
        var format = reader.OneOf("reset_format", false, "seconds", "epoch_seconds", "milliseconds", "iso8601") switch
        {
            "iso8601" => ResetFormat.Iso8601,
            "epoch_seconds" => ResetFormat.EpochSeconds,
            "milliseconds" => ResetFormat.Milliseconds,
            _ => ResetFormat.Seconds,
        };
        var header = reader.String("header");
        var pattern = reader.Scalar("pattern");
        if (pattern is not null && pattern.Value!.Length > Limits.MaxPatternLength)
        {
            _context.Report(DiagnosticDescriptors.TooLarge, pattern, "rate_limit.pattern",
                $"a pattern of {pattern.Value.Length.ToString(CultureInfo.InvariantCulture)} characters", $"{Limits.MaxPatternLength.ToString(CultureInfo.InvariantCulture)} characters");
            pattern = null;
        }
        if (pattern is not null)
        {
            try
            {
                var regex = new Regex(pattern.Value!);
                var groups = regex.GetGroupNames();
                if (!groups.Any(g => g is "limit" or "remaining" or "used" or "reset"))
                {
                    _context.Report(DiagnosticDescriptors.InvalidValue, pattern, "rate_limit.pattern", pattern.Value!, "a regular expression with named groups (?<limit>…), (?<remaining>…), (?<used>…) or (?<reset>…)");
                }
            }
            catch (System.ArgumentException e)
            {
                _context.Report(DiagnosticDescriptors.InvalidValue, pattern, "rate_limit.pattern", pattern.Value!, "a valid regular expression (" + e.Message + ")");
            }
            if (header is null)
            {
                reader.Require("header");
            }
        }
        var windows = RateWindows.Parse(_context, reader);
        return new RateLimitSpec(reader.String("limit"), reader.String("remaining"), reader.String("reset"), format, header, pattern?.Value, windows);
    }

    private OperationSpec? ParseDelete(YamlMappingNode node, string where)
    {
        var reader = new MappingReader(_context, node, where, ["method", "path", "query", "headers", "body", "success", "failure_when", "idempotent", "response"], MultipartKeys);
        foreach (var entry in node.Children.Where(e => e.Key is YamlScalarNode { Value: { } k } && MultipartKeys.Contains(k)))
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, entry.Value, where + "." + ((YamlScalarNode)entry.Key).Value, "set",
                "nothing: a multipart/mixed body (content_type, parts) is one part per id, so only a native batch method takes it");
        }
        var request = ParseRequest(reader, where, PlaceholderSource.Id, PlaceholderSource.Context);
        if (request is not null && !References(request, PlaceholderSource.Id))
        {
            _context.Report(DiagnosticDescriptors.IdsNeverSent, reader.Get("path") ?? node, where, "the contact id", "{{id}}");
        }
        var response = ParseResponse(reader);
        var idempotent = reader.Bool("idempotent") ?? false;
        return request is null ? null : new OperationSpec(request, response, idempotent);
    }

    private BatchSpec? ParseBatch(YamlMappingNode node, string where, string perIdWhere, string? fanOutTo)
    {
        var reader = new MappingReader(_context, node, where,
            "strategy", "max_ids", "concurrency", "method", "path", "query", "headers", "body", "success", "failure_when", "idempotent", "items", "response", "content_type", "parts");
        var strategyNode = reader.Scalar("strategy", required: true);
        var strategy = reader.OneOf("strategy", false, "native", "fan_out");
        var concurrency = reader.Int("concurrency", 1, 64) ?? 4;
        if (strategy == "fan_out")
        {
            foreach (var key in new[] { "max_ids", "method", "path", "query", "headers", "body", "success", "failure_when", "idempotent", "items", "response", "content_type", "parts" })
            {
                if (reader.Get(key) is { } extra)
                {
                    _context.Report(DiagnosticDescriptors.InvalidValue, extra, where + "." + key, "set", "nothing: with strategy fan_out each id is deleted by " + perIdWhere + ", which describes the request and response");
                }
            }
            if (fanOutTo is null)
            {
                _context.Report(DiagnosticDescriptors.IdsNeverSent, strategyNode!, where, "any id", perIdWhere + " (fan_out sends each id through it)");
            }
            return new BatchSpec(BatchStrategy.FanOut, 1, concurrency, null, null, [], FieldLocation.Body, fanOutTo);
        }
        if (strategy != "native")
        {
            return null;
        }
        var maxIds = reader.Int("max_ids", 1, 10_000);
        if (maxIds is null && reader.Get("max_ids") is null)
        {
            reader.Require("max_ids");
        }
        var request = ParseRequest(reader, where, PlaceholderSource.Ids, PlaceholderSource.Context);
        var multipart = reader.OneOf("content_type", false, "application/json", "multipart/mixed") == "multipart/mixed";
        var parts = ParseMultipart(reader, where, multipart);
        if (request is not null && parts is not null)
        {
            request = request with { Parts = parts };
        }
        var idsInQuery = request is not null && request.Query.Any(q => UsesIds(q.Value));
        // Parts carry the ids of a multipart body, one each (ParseMultipart requires their {{id}}, or
        // says why parts are not taken).
        if (request is not null && !multipart && reader.Get("parts") is null && !idsInQuery && !References(request, PlaceholderSource.Ids))
        {
            _context.Report(DiagnosticDescriptors.IdsNeverSent, reader.Get("path") ?? node, where, "the ids", "{{ids}} (or a $each_id list in the body)");
        }
        var separator = request is null ? null : JoinSeparator(request, reader, where);
        var idempotent = reader.Bool("idempotent") ?? false;
        var items = !multipart && reader.Mapping("items") is { } i ? ParseItems(i, where + ".items") : null;
        var response = ParseResponse(reader);
        return request is null || maxIds is null || (multipart && parts is null)
            ? null
            : new BatchSpec(BatchStrategy.Native, maxIds.Value, concurrency, request, items, response, idsInQuery ? FieldLocation.Query : FieldLocation.Body, null)
            {
                Idempotent = idempotent,
                IdSeparator = separator,
            };
    }

    /// <summary>The keys of a <c>multipart/mixed</c> batch body, which only a native batch takes.</summary>
    private static readonly string[] MultipartKeys = ["content_type", "parts"];

    /// <summary>
    /// The parts of a native batch whose <c>content_type</c> is <c>multipart/mixed</c> (null otherwise,
    /// or on an error): <c>parts</c> is required and replaces <c>body</c>, and the answer's parts are
    /// its items, so <c>items</c> is not set. <c>parts</c> without the content type is an error too.
    /// </summary>
    private PartSpec? ParseMultipart(MappingReader reader, string where, bool multipart)
    {
        if (!multipart)
        {
            if (reader.Get("parts") is { } stray)
            {
                _context.Report(DiagnosticDescriptors.InvalidValue, stray, where + ".parts", "set", "content_type: multipart/mixed beside it: parts are the requests of a multipart/mixed body");
            }
            return null;
        }
        if (reader.Get("body") is { } body)
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, body, where + ".body", "set", "nothing: with content_type multipart/mixed the body is written from parts, one per id");
        }
        if (reader.Get("items") is { } items)
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, items, where + ".items", "set",
                "nothing: the items of a multipart/mixed answer are its parts (paired with ids by Content-ID, else by position; a 2xx part is a deleted id; a failing part's message and code are read with errors.message and errors.code)");
        }
        if (reader.Get("parts") is not { } node)
        {
            reader.Require("parts");
            return null;
        }
        var partsWhere = where + ".parts";
        if (node is not YamlMappingNode map || map.Children.Count != 1 || map.Children.Keys.First() is not YamlScalarNode { Value: "$each_id" })
        {
            _context.Report(DiagnosticDescriptors.WrongType, node, partsWhere, "a mapping with the one key $each_id, whose value is the request each id becomes (method, path, headers)", ParseContext.Describe(node));
            return null;
        }
        var partWhere = partsWhere + ".$each_id";
        if (map.Children.Values.First() is not YamlMappingNode partNode)
        {
            var value = map.Children.Values.First();
            _context.Report(DiagnosticDescriptors.WrongType, value, partWhere, "a mapping of method, path and headers", ParseContext.Describe(value));
            return null;
        }
        var part = new MappingReader(_context, partNode, partWhere, "method", "path", "headers");
        var method = part.OneOf("method", true, Methods);
        var pathNode = part.Scalar("path", required: true);
        // Ids travel one per part: {{ids}} is not available inside one (TM0007).
        var path = pathNode is null ? null : Collect(_context.ParseTemplate(pathNode, partWhere + ".path", PlaceholderSource.Id, PlaceholderSource.Context), pathNode, partWhere + ".path");
        var headers = ParseNamedTemplates(part, "headers", PlaceholderSource.Id, PlaceholderSource.Context);
        if (path is not null && !path.Parts.Any(p => p.Placeholder?.Source == PlaceholderSource.Id))
        {
            _context.Report(DiagnosticDescriptors.IdsNeverSent, pathNode!, partWhere, "the contact id", "{{id}}");
        }
        return method is null || path is null ? null : new PartSpec(method, path, headers);
    }

    private RequestSpec? ParseRequest(MappingReader reader, string where, params PlaceholderSource[] allowed)
    {
        var method = reader.OneOf("method", true, Methods);
        var path = reader.Scalar("path", required: true) is { } p ? Collect(_context.ParseTemplate(p, where + ".path", allowed), p, where + ".path") : null;
        if (path is not null)
        {
            RejectLists(reader.Scalar("path")!, path, where + ".path");
        }
        var query = ParseNamedTemplates(reader, "query", allowed);
        var headers = ParseNamedTemplates(reader, "headers", allowed);
        var body = reader.Get("body") is { } bodyNode ? ParseBody(bodyNode, where + ".body", allowed, insideEach: false) : null;
        var success = new List<int>();
        foreach (var status in reader.ScalarList("success"))
        {
            if (int.TryParse(status.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                success.Add(code);
            }
            else
            {
                _context.Report(DiagnosticDescriptors.WrongType, status, where + ".success", "an HTTP status from 100 to 599", ParseContext.Describe(status));
            }
        }
        var failureWhen = reader.Scalar("failure_when") is { } f ? _context.ParsePath(f, where + ".failure_when") : null;
        return method is null || path is null ? null : new RequestSpec(method, path, query, headers, body, success.Distinct().ToEquatableArray(), failureWhen);
    }

    private BodyNode? ParseBody(YamlNode node, string where, PlaceholderSource[] allowed, bool insideEach)
    {
        switch (node)
        {
            case YamlMappingNode map when map.Children.Count == 1 && map.Children.Keys.First() is YamlScalarNode { Value: "$each_id" }:
                if (insideEach || !allowed.Contains(PlaceholderSource.Ids))
                {
                    _context.Report(DiagnosticDescriptors.InvalidValue, map, where, "$each_id", "a body without $each_id: it repeats its value for every id of a batch, so it belongs only in batch_delete, and not inside another $each_id");
                    return null;
                }
                var each = ParseBody(map.Children.Values.First(), where + ".$each_id", [PlaceholderSource.Id, PlaceholderSource.Context], insideEach: true);
                return each is null ? null : new BodyNode(BodyKind.EachId, [], new EquatableArray<BodyNode>([each]), null, null);
            case YamlMappingNode map:
                var properties = new List<BodyProperty>();
                foreach (var (key, value) in new MappingReader(_context, map, where).Entries)
                {
                    if (ParseBody(value, where + "." + key.Value, allowed, insideEach) is { } child)
                    {
                        properties.Add(new BodyProperty(key.Value!, child));
                    }
                }
                return new BodyNode(BodyKind.Object, properties.ToEquatableArray(), [], null, null);
            case YamlSequenceNode list:
                var items = list.Children.Select((c, i) => ParseBody(c, $"{where}[{i}]", allowed, insideEach)).OfType<BodyNode>().ToList();
                return new BodyNode(BodyKind.Array, [], items.ToEquatableArray(), null, null);
            case YamlScalarNode scalar when scalar.Style == ScalarStyle.Plain && IsJsonLiteral(scalar.Value):
                return new BodyNode(BodyKind.Literal, [], [], null, MappingReader.IsNull(scalar) ? "null" : scalar.Value);
            case YamlScalarNode scalar:
                var template = Collect(_context.ParseTemplate(scalar, where, TemplateUse.BodyValue, allowed), scalar, where);
                if (template is not null && !template.IsSinglePlaceholder)
                {
                    RejectLists(scalar, template, where);
                }
                return template is null ? null : new BodyNode(BodyKind.Template, [], [], template, null);
            default:
                return null;
        }
    }

    private static bool IsJsonLiteral(string? value)
        => value is null or "" or "~" or "null" or "true" or "false" || IsJsonNumber(value);

    /// <summary>
    /// A number as JSON writes it (RFC 8259: <c>-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?</c>). Only these
    /// are raw JSON: <c>NaN</c>, <c>.5</c>, <c>+1</c> or <c>01</c> parse as doubles but are not JSON, and
    /// the writer would throw on them at run time, so they are text.
    /// </summary>
    private static bool IsJsonNumber(string value) => JsonNumberText.IsNumber(value);

    private ItemsSpec? ParseItems(YamlMappingNode node, string where)
    {
        var reader = new MappingReader(_context, node, where, "path", "match", "id", "succeeded_when", "error");
        var path = reader.Scalar("path", required: true) is { } p ? _context.ParsePath(p, where + ".path") : null;
        var match = reader.OneOf("match", false, "position", "id") == "id" ? ItemMatch.Id : ItemMatch.Position;
        var idPath = reader.Scalar("id") is { } i ? _context.ParsePath(i, where + ".id") : null;
        if (match == ItemMatch.Id && idPath is null && reader.Get("id") is null)
        {
            reader.Require("id");
        }
        PredicateSpec? succeeded = null;
        if (reader.Mapping("succeeded_when") is { } s)
        {
            var predicate = new MappingReader(_context, s, where + ".succeeded_when", "path", "equals", "exists", "is");
            var predicatePath = predicate.Scalar("path", required: true) is { } pp ? _context.ParsePath(pp, where + ".succeeded_when.path") : null;
            if (predicate.Scalar("equals") is { } equals)
            {
                succeeded = predicatePath is null ? null : new PredicateSpec(predicatePath, PredicateKind.EqualsValue, ToLiteral(equals));
            }
            else if (predicate.OneOf("is", false, "string") is not null)
            {
                succeeded = predicatePath is null ? null : new PredicateSpec(predicatePath, PredicateKind.IsString, null);
            }
            else
            {
                predicate.Bool("exists");
                succeeded = predicatePath is null ? null : new PredicateSpec(predicatePath, PredicateKind.Exists, null);
            }
        }
        EquatableArray<PathExpression> messages = [];
        PathExpression? code = null;
        if (reader.Mapping("error") is { } e)
        {
            var error = new MappingReader(_context, e, where + ".error", "message", "code");
            messages = Paths(error, "message");
            code = error.Scalar("code") is { } c ? _context.ParsePath(c, where + ".error.code") : null;
        }
        return path is null ? null : new ItemsSpec(path, match, idPath, succeeded, messages, code);
    }

    private static LiteralValue ToLiteral(YamlScalarNode scalar)
    {
        if (scalar.Style == ScalarStyle.Plain)
        {
            switch (scalar.Value)
            {
                case "true":
                    return new LiteralValue(LiteralKind.True, "true");
                case "false":
                    return new LiteralValue(LiteralKind.False, "false");
                case "null" or "~" or "":
                    return new LiteralValue(LiteralKind.Null, "null");
            }
            if (IsJsonNumber(scalar.Value ?? ""))
            {
                return new LiteralValue(LiteralKind.Number, scalar.Value!);
            }
        }
        return new LiteralValue(LiteralKind.String, scalar.Value ?? "");
    }

    private EquatableArray<FieldMapping> ParseResponse(MappingReader reader)
    {
        if (reader.Mapping("response") is not { } node)
        {
            return [];
        }
        var mappable = _schema.Fields.Where(f => f.Name != "remote_data").ToList();
        return ParseFieldMappings(node, reader.PathOf("response"), mappable).ToEquatableArray();
    }

    private List<FieldMapping> ParseFieldMappings(YamlMappingNode node, string where, IReadOnlyList<FieldShape> fields)
    {
        var result = new List<FieldMapping>();
        foreach (var (key, value) in new MappingReader(_context, node, where).Entries)
        {
            var field = fields.FirstOrDefault(f => f.Name == key.Value);
            if (field is null)
            {
                var names = fields.Select(f => f.Name).ToArray();
                _context.Report(DiagnosticDescriptors.UnknownUnifiedField, key, key.Value!, where, MappingReader.Suggest(key.Value!, names), string.Join(", ", names));
                continue;
            }
            if (ParseFieldMapping(field, value, where + "." + key.Value) is { } mapping)
            {
                result.Add(mapping);
            }
        }
        return result;
    }

    private FieldMapping? ParseFieldMapping(FieldShape field, YamlNode node, string where)
    {
        switch (field.Type)
        {
            case UnifiedFieldType.Object:
                if (node is not YamlMappingNode objectNode)
                {
                    _context.Report(DiagnosticDescriptors.WrongType, node, where, $"a mapping of {field.Name}'s fields ({string.Join(", ", field.Properties.Select(p => p.Name))})", ParseContext.Describe(node));
                    return null;
                }
                return new FieldMapping(field.Name, field.Type, null, null, ParseFieldMappings(objectNode, where, field.Properties).ToEquatableArray());
            case UnifiedFieldType.Array:
                if (node is not YamlMappingNode arrayNode)
                {
                    _context.Report(DiagnosticDescriptors.WrongType, node, where, "a mapping with 'each' (a path to the items) and 'fields'", ParseContext.Describe(node));
                    return null;
                }
                var reader = new MappingReader(_context, arrayNode, where, "each", "fields");
                var each = reader.Scalar("each", required: true) is { } e ? _context.ParsePath(e, where + ".each") : null;
                var itemFields = reader.Mapping("fields", required: true) is { } f ? ParseFieldMappings(f, where + ".fields", field.Properties) : [];
                return each is null ? null : new FieldMapping(field.Name, field.Type, null, each, itemFields.ToEquatableArray());
            default:
                return ParseValue(node, where) is { } value ? new FieldMapping(field.Name, field.Type, value, null, []) : null;
        }
    }

    private ValueSpec? ParseValue(YamlNode node, string where, int firstOfDepth = 0)
    {
        if (node is YamlScalarNode scalar && !MappingReader.IsNull(scalar))
        {
            return ParseScalarValue(scalar, where, []);
        }
        if (node is not YamlMappingNode map)
        {
            _context.Report(DiagnosticDescriptors.WrongType, node, where, "a path ('$.a.b'), a template ('{{id}}'), a constant, or a mapping with path/first_of/value and transform", ParseContext.Describe(node));
            return null;
        }
        var reader = new MappingReader(_context, map, where, "path", "first_of", "value", "transform");
        var transforms = ParseTransforms(reader);
        if (reader.Scalar("path") is { } path)
        {
            return ParseScalarValue(path, where + ".path", transforms, mustBePath: true);
        }
        if (reader.Get("first_of") is YamlSequenceNode alternatives)
        {
            if (firstOfDepth >= Limits.MaxFirstOfDepth)
            {
                // Each level is one nested call in the generated code, as are transforms and path steps.
                _context.Report(DiagnosticDescriptors.TooDeep, alternatives, where + ".first_of",
                    $"more than {Limits.MaxFirstOfDepth.ToString(CultureInfo.InvariantCulture)} first_of lists inside each other",
                    $"{Limits.MaxFirstOfDepth.ToString(CultureInfo.InvariantCulture)} levels");
                return null;
            }
            var values = alternatives.Children.Select((c, i) => ParseValue(c, $"{where}.first_of[{i}]", firstOfDepth + 1)).ToList();
            return values.Any(v => v is null) ? null : new ValueSpec(ValueKind.FirstOf, null, null, null, values.OfType<ValueSpec>().ToEquatableArray(), transforms);
        }
        if (reader.Get("first_of") is { } notList)
        {
            _context.Report(DiagnosticDescriptors.WrongType, notList, where + ".first_of", "a list of values", ParseContext.Describe(notList));
            return null;
        }
        if (reader.Scalar("value") is { } constant)
        {
            return new ValueSpec(ValueKind.Constant, null, null, constant.Value, [], transforms);
        }
        _context.Report(DiagnosticDescriptors.MissingKey, map, "path", where + " (or first_of, or value)");
        return null;
    }

    private ValueSpec? ParseScalarValue(YamlScalarNode scalar, string where, EquatableArray<TransformSpec> transforms, bool mustBePath = false)
    {
        var text = scalar.Value ?? "";
        if (mustBePath || text.StartsWith("$", System.StringComparison.Ordinal) || text.StartsWith("@", System.StringComparison.Ordinal))
        {
            var path = _context.ParsePath(scalar, where);
            return path is null ? null : new ValueSpec(ValueKind.Path, path, null, null, [], transforms);
        }
        if (text.Contains("{{"))
        {
            var template = _context.ParseTemplate(scalar, where, PlaceholderSource.Id);
            return template is null ? null : new ValueSpec(ValueKind.Template, null, template, null, [], transforms);
        }
        return new ValueSpec(ValueKind.Constant, null, null, text, [], transforms);
    }

    private EquatableArray<TransformSpec> ParseTransforms(MappingReader reader)
    {
        var result = new List<TransformSpec>();
        var scalars = reader.ScalarList("transform");
        if (scalars.Count > Limits.MaxTransforms)
        {
            _context.Report(DiagnosticDescriptors.TooLarge, reader.Get("transform"), reader.PathOf("transform"),
                $"{scalars.Count.ToString(CultureInfo.InvariantCulture)} transforms", $"{Limits.MaxTransforms.ToString(CultureInfo.InvariantCulture)} transforms");
            return [];
        }
        foreach (var scalar in scalars)
        {
            var text = scalar.Value!.Trim();
            var open = text.IndexOf('(');
            var name = open < 0 ? text : text.Substring(0, open).Trim();
            string? argument = null;
            if (open >= 0)
            {
                var inner = text.EndsWith(")", System.StringComparison.Ordinal) ? text.Substring(open + 1, text.Length - open - 2).Trim() : "";
                if (inner.Length < 2 || (inner[0] != '\'' && inner[0] != '"') || inner[inner.Length - 1] != inner[0])
                {
                    _context.Report(DiagnosticDescriptors.WrongType, scalar, reader.PathOf("transform"), "name or name('argument'), e.g. join(', ')", ParseContext.Describe(scalar));
                    continue;
                }
                argument = inner.Substring(1, inner.Length - 2);
            }
            if (TransformCatalog.Find(name) is not { } transform)
            {
                var names = TransformCatalog.All.Select(t => t.Name).ToArray();
                _context.Report(DiagnosticDescriptors.UnknownTransform, scalar, name, reader.PathOf("transform"), MappingReader.Suggest(name, names), string.Join(", ", names));
                continue;
            }
            if (transform.Argument == TransformArgument.None && argument is not null)
            {
                _context.Report(DiagnosticDescriptors.WrongType, scalar, reader.PathOf("transform"), $"'{transform.Name}' without an argument (it takes none)", ParseContext.Describe(scalar));
                continue;
            }
            if (transform.Argument == TransformArgument.Text && (argument ??= transform.DefaultArgument) is null)
            {
                _context.Report(DiagnosticDescriptors.WrongType, scalar, reader.PathOf("transform"), $"{transform.Name}('argument')", ParseContext.Describe(scalar));
                continue;
            }
            result.Add(new TransformSpec(transform, argument));
        }
        return result.ToEquatableArray();
    }

    private EquatableArray<NamedTemplate> ParseNamedTemplates(MappingReader reader, string key, params PlaceholderSource[] allowed)
    {
        if (reader.Mapping(key) is not { } node)
        {
            return [];
        }
        var result = new List<NamedTemplate>();
        var where = reader.PathOf(key);
        foreach (var (name, value) in new MappingReader(_context, node, where).Entries)
        {
            if (value is not YamlScalarNode scalar || value is YamlScalarNode s && MappingReader.IsNull(s))
            {
                _context.Report(DiagnosticDescriptors.WrongType, value, where + "." + name.Value, "a text value", ParseContext.Describe(value));
                continue;
            }
            if (Collect(_context.ParseTemplate(scalar, where + "." + name.Value, allowed), scalar, where + "." + name.Value) is { } template)
            {
                RejectLists(scalar, template, where + "." + name.Value);
                result.Add(new NamedTemplate(name.Value!, template));
            }
        }
        return result.ToEquatableArray();
    }

    /// <summary>A list placeholder ({{ids}} without join) only fits where a whole JSON value goes.</summary>
    private void RejectLists(YamlScalarNode scalar, Template template, string where)
    {
        foreach (var placeholder in template.Parts.Select(p => p.Placeholder).OfType<Placeholder>().Where(p => p.IsList))
        {
            _context.Report(DiagnosticDescriptors.InvalidTemplate, _context.LocateInScalar(scalar, placeholder.Offset), scalar.Value ?? "", where,
                "{{ids}} is a list; inside text use {{ids | join(',')}}, or make the whole body value \"{{ids}}\" to send a JSON array");
        }
    }

    private EquatableArray<PathExpression> Paths(MappingReader reader, string key)
        => reader.ScalarList(key).Select(s => _context.ParsePath(s, reader.PathOf(key))).OfType<PathExpression>().ToEquatableArray();

    /// <summary>
    /// Notes every context key <paramref name="template"/> reads, and where, for the check against
    /// the context section: a key read alone is required; the keys of a fallback chain are a choice
    /// (the account needs one of them), or optional when the chain ends in a default.
    /// </summary>
    private Template? Collect(Template? template, YamlScalarNode node, string where)
    {
        foreach (var placeholder in template?.Parts.Select(p => p.Placeholder).OfType<Placeholder>() ?? [])
        {
            if (placeholder.Source != PlaceholderSource.Context)
            {
                continue;
            }
            foreach (var key in placeholder.ContextKeys)
            {
                var read = new ContextRead(key.Key, _context.LocateInScalar(node, key.Offset), where);
                _contextReads.Add(read);
                if (placeholder.AsNumber)
                {
                    _numberReads.Add(read);
                }
            }
            if (!placeholder.HasFallback)
            {
                _contextKeys.Add(placeholder.ContextKey);
            }
            else if (placeholder.Default is null)
            {
                _contextChoices.Add(new ContextChoiceRead(placeholder.ContextKeys.Select(k => k.Key).ToEquatableArray(), where));
            }
        }
        return template;
    }

    private static bool UsesIds(Template template)
        => template.Parts.Any(p => p.Placeholder?.Source == PlaceholderSource.Ids);

    private static bool References(RequestSpec request, PlaceholderSource source)
    {
        bool InTemplate(Template? t) => t?.Parts.Any(p => p.Placeholder?.Source == source) == true;
        bool InBody(BodyNode? b) => b is not null && (
            (source == PlaceholderSource.Ids && b.Kind == BodyKind.EachId)
            || InTemplate(b.Template)
            || b.Properties.Any(p => InBody(p.Value))
            || (b.Kind != BodyKind.EachId && b.Items.Any(InBody)));
        return InTemplate(request.Path)
            || request.Query.Any(q => InTemplate(q.Value))
            || request.Headers.Any(h => InTemplate(h.Value))
            || InBody(request.Body);
    }
}
