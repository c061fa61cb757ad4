using System.Linq;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Expressions;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.OAuth;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Generator.Model;

/// <summary>Everything one provider file says, validated and value-equal.</summary>
internal sealed record ProviderSpec(
    string FilePath,
    string Name,
    string DisplayName,
    string? DocsUrl,
    Template BaseUrl,
    AuthSpec Auth,
    EquatableArray<NamedTemplate> Headers,
    ErrorSpec Errors,
    RateLimitSpec? RateLimit,
    string Resource,
    EquatableArray<MethodMapping> Methods,
    EquatableArray<string> ContextKeys)
{
    /// <summary>The keys the <c>context:</c> section declares, in file order.</summary>
    public EquatableArray<ContextKeySpec> Context { get; init; } = [];

    /// <summary>The hosts calls may reach (<c>hosts:</c>): names, or <c>*.</c> and a domain.</summary>
    public EquatableArray<string> Hosts { get; init; } = [];

    /// <summary>The pattern every id of the resource must match whole (<c>{resource}.id_pattern</c>), or null.</summary>
    public string? IdPattern { get; init; }

    /// <summary>The OAuth 2.0 flow (<c>oauth2:</c>), or null when the provider has none.</summary>
    public OAuth2Spec? OAuth2 { get; init; }

    /// <summary>
    /// With <c>auth:</c> as a list, the alternatives before the default (<see cref="Auth"/>, the
    /// last), in order: each chosen when its <see cref="AuthSpec.When"/> key is in the context.
    /// </summary>
    public EquatableArray<AuthSpec> AuthAlternatives { get; init; } = [];

    /// <summary>
    /// Fallback chains without a default (<c>{{context.a ?? context.b}}</c>), each a group of keys
    /// of which an account must hold one; their keys are not <see cref="ContextKeySpec.Required"/>
    /// unless a template reads them alone. Chains in auth are left out when auth has alternatives.
    /// </summary>
    public EquatableArray<EquatableArray<string>> RequiredContextChoices { get; init; } = [];
}

/// <summary>
/// One declared context key. <see cref="Required"/> is true when a template reads it; a key only
/// declared (for people, or to mark a stored value secret) is optional.
/// </summary>
internal sealed record ContextKeySpec(
    string Name,
    ContextValueType Type,
    bool Secret,
    string Label,
    string? Help,
    bool Required,
    ContextShapeKind? Shape,
    EquatableArray<string> ShapeValues);

/// <summary>
/// The <c>oauth2:</c> block: the URL and scope templates (over context keys, like base_url) and
/// what the runtime's <c>OAuth2Info</c> carries.
/// </summary>
internal sealed record OAuth2Spec(
    Template AuthorizeUrl,
    Template TokenUrl,
    EquatableArray<Template> Scopes,
    string ScopeSeparator,
    EquatableArray<NamedValue> AuthorizeParameters,
    bool Pkce,
    OAuthClientAuthentication ClientAuthentication,
    OAuthRequestEncoding RequestEncoding,
    EquatableArray<NamedValue> TokenValues,
    EquatableArray<string> ExpiredTokenCodes,
    EquatableArray<NamedValue> CallbackValues)
{
    /// <summary>True when the code exchange and every refresh send the scope too (<c>scope_on_token_requests</c>).</summary>
    public bool ScopeOnTokenRequests { get; init; }

    /// <summary>The context keys the scopes read, each once, in order.</summary>
    public EquatableArray<string> ScopeContextKeys
        => Scopes.SelectMany(s => s.Parts).Select(p => p.Placeholder).OfType<Placeholder>().Select(p => p.ContextKey).Distinct().ToEquatableArray();

    /// <summary>True when a scope reads the context, so it is built per account.</summary>
    public bool ScopesReadContext => Scopes.Any(s => !s.IsLiteral);

    /// <summary>
    /// The <c>scope</c> parameter as one template: the scopes joined by the separator, adjacent
    /// literal text merged (<c>{{context.instance_url}}</c>, <c>"/user_impersonation offline_access"</c>),
    /// so both engines build it as one concatenation.
    /// </summary>
    public Template JoinedScope
    {
        get
        {
            var parts = new System.Collections.Generic.List<TemplatePart>();
            foreach (var part in Scopes.SelectMany((scope, i) => (i == 0 ? Enumerable.Empty<TemplatePart>() : new[] { new TemplatePart(ScopeSeparator, null) }).Concat(scope.Parts)))
            {
                if (part.Literal is { } text && parts.Count > 0 && parts[parts.Count - 1].Literal is { } before)
                {
                    parts[parts.Count - 1] = new TemplatePart(before + text, null);
                }
                else
                {
                    parts.Add(part);
                }
            }
            return new Template(parts.ToEquatableArray(), string.Join(ScopeSeparator, Scopes.Select(s => s.Text)));
        }
    }

    /// <summary>Where the OAuth app is registered (<c>app_registration_url</c>), or null.</summary>
    public string? AppRegistrationUrl { get; init; }

    /// <summary>The scopes chosen on the app where the authorize URL takes none (<c>app_scopes</c>).</summary>
    public EquatableArray<string> AppScopes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The documented access token lifetime in seconds (<c>access_token_lifetime</c>); -1 for <c>never</c>, null when not declared.</summary>
    public long? AccessTokenLifetimeSeconds { get; init; }

    /// <summary>What the provider does with refresh tokens (<c>refresh_tokens</c>), or null.</summary>
    public OAuthRefreshTokens? RefreshTokens { get; init; }
}

/// <summary>A name and a constant text (an authorize parameter; a token answer member or a callback parameter and its context key).</summary>
internal sealed record NamedValue(string Name, string Value);

/// <summary>A header or query parameter whose value is a template.</summary>
internal sealed record NamedTemplate(string Name, Template Value);

internal enum AuthKind
{
    Bearer,
    Basic,
    Headers,
}

/// <summary>How requests authenticate; every value it produces is a secret.</summary>
internal sealed record AuthSpec(AuthKind Kind, Template? Token, Template? Username, Template? Password, EquatableArray<NamedTemplate> Headers)
{
    /// <summary>In a list of alternatives, the context key whose presence selects this one (null for the default).</summary>
    public string? When { get; init; }

    /// <summary>In a list of alternatives, the base URL this one uses instead of the file's <c>base_url</c>, or null.</summary>
    public Template? BaseUrl { get; init; }
}

/// <summary>Where a status code comes from for an error code the provider returns.</summary>
internal sealed record StatusByCode(string Code, int Status);

/// <summary>Where a provider error's message and code are, and which codes mean what.</summary>
internal sealed record ErrorSpec(
    EquatableArray<PathExpression> MessagePaths,
    EquatableArray<PathExpression> CodePaths,
    EquatableArray<string> RateLimitCodes,
    EquatableArray<string> GoneCodes,
    EquatableArray<StatusByCode> StatusByCode);

/// <summary>How the provider reports its rate limit in headers, and the request-rate windows to keep to (all at once).</summary>
internal sealed record RateLimitSpec(
    string? LimitHeader,
    string? RemainingHeader,
    string? ResetHeader,
    ResetFormat ResetFormat,
    string? PatternHeader,
    string? Pattern,
    EquatableArray<RequestRateSpec> Windows);

/// <summary>
/// At most <paramref name="Requests"/> calls per <paramref name="PerSeconds"/> seconds, bursts up to
/// <paramref name="Burst"/>, per account or, when <paramref name="PerApp"/>, across all the integration's accounts.
/// </summary>
internal sealed record RequestRateSpec(int Requests, int PerSeconds, int Burst, bool PerApp);

internal enum BodyKind
{
    Object,
    Array,
    EachId,
    Template,
    Literal,
}

/// <summary>A request-body template node (objects, arrays, one-element-per-id arrays, templated strings, literals).</summary>
internal sealed record BodyNode(BodyKind Kind, EquatableArray<BodyProperty> Properties, EquatableArray<BodyNode> Items, Template? Template, string? Literal);

internal sealed record BodyProperty(string Name, BodyNode Value);

/// <summary>One provider HTTP request and how to read its answer.</summary>
internal sealed record RequestSpec(
    string Method,
    Template Path,
    EquatableArray<NamedTemplate> Query,
    EquatableArray<NamedTemplate> Headers,
    BodyNode? Body,
    EquatableArray<int> SuccessStatuses,
    PathExpression? FailureWhen)
{
    /// <summary>
    /// True when the body writes the id or ids as JSON numbers (<c>{{id | number}}</c>, <c>{{ids | number}}</c>,
    /// also inside <c>$each_id</c>): the runtime then refuses an id that is not a number, for that id.
    /// </summary>
    public bool NumericIds => WritesIdsAsNumbers(Body);

    /// <summary>
    /// With <c>content_type: multipart/mixed</c>, the request each id becomes inside the body
    /// (<c>parts: {$each_id: …}</c>), in place of <see cref="Body"/>; null for JSON bodies.
    /// </summary>
    public PartSpec? Parts { get; init; }

    private static bool WritesIdsAsNumbers(BodyNode? node)
        => node is not null && (
            node.Template?.Parts.Any(p => p.Placeholder is { AsNumber: true, Source: PlaceholderSource.Id or PlaceholderSource.Ids }) == true
            || node.Properties.Any(p => WritesIdsAsNumbers(p.Value))
            || node.Items.Any(WritesIdsAsNumbers));
}

/// <summary>
/// The HTTP request one id becomes inside a <c>multipart/mixed</c> batch body: a method, a path after
/// the base URL (with <c>{{id}}</c>, percent-encoded as in any path) and the part's own headers.
/// </summary>
internal sealed record PartSpec(string Method, Template Path, EquatableArray<NamedTemplate> Headers);

/// <summary>A single-id operation (delete); <paramref name="Idempotent"/> when the YAML says a repeat is safe.</summary>
internal sealed record OperationSpec(RequestSpec Request, EquatableArray<FieldMapping> Response, bool Idempotent);

/// <summary>
/// One method of the schema a provider maps (<c>contacts.batch_delete</c>): its name, its shape,
/// and the mapping for that shape (<see cref="Single"/> or <see cref="Batch"/>).
/// </summary>
internal sealed record MethodMapping(string Name, OperationShape Shape, OperationSpec? Single, BatchSpec? Batch);

internal enum ItemMatch
{
    Position,
    Id,
}

internal enum PredicateKind
{
    Exists,
    EqualsValue,
    IsString,
}

/// <summary>A check on an item: a path that exists, equals a literal, or is a string.</summary>
internal sealed record PredicateSpec(PathExpression Path, PredicateKind Kind, LiteralValue? Value);

/// <summary>How to read per-item outcomes from a batch response.</summary>
internal sealed record ItemsSpec(
    PathExpression Path,
    ItemMatch Match,
    PathExpression? IdPath,
    PredicateSpec? SucceededWhen,
    EquatableArray<PathExpression> ErrorMessagePaths,
    PathExpression? ErrorCodePath);

/// <summary>
/// A batch operation: native (chunks of MaxIds) or fan-out through the single-id method <see cref="FanOutTo"/>.
/// <see cref="IdsRequiredIn"/> is <see cref="FieldLocation.Body"/> or <see cref="FieldLocation.Query"/>.
/// </summary>
internal sealed record BatchSpec(
    BatchStrategy Strategy,
    int MaxIds,
    int Concurrency,
    RequestSpec? Request,
    ItemsSpec? Items,
    EquatableArray<FieldMapping> Response,
    FieldLocation IdsRequiredIn,
    string? FanOutTo)
{
    /// <summary>True when the YAML marks the batch call safe to repeat (<c>idempotent: true</c>); fan-out uses its single-id method's.</summary>
    public bool Idempotent { get; init; }

    /// <summary>The separator the request joins its ids with (<c>{{ids | join(',')}}</c>), or null when the ids are not joined.</summary>
    public string? IdSeparator { get; init; }
}

internal enum ValueKind
{
    Path,
    Template,
    Constant,
    FirstOf,
}

/// <summary>A transform from the shared catalogue, with its argument (set exactly when the transform takes one).</summary>
internal sealed record TransformSpec(MappingTransform Transform, string? Argument);

/// <summary>Where a unified scalar comes from, and how it is transformed.</summary>
internal sealed record ValueSpec(
    ValueKind Kind,
    PathExpression? Path,
    Template? Template,
    string? Constant,
    EquatableArray<ValueSpec> Alternatives,
    EquatableArray<TransformSpec> Transforms);

/// <summary>
/// The mapping of one unified field: a value for scalars and records, sub-fields for objects,
/// or <c>each</c> plus item fields for arrays.
/// </summary>
internal sealed record FieldMapping(
    string Field,
    UnifiedFieldType Type,
    ValueSpec? Value,
    PathExpression? Each,
    EquatableArray<FieldMapping> Fields);
