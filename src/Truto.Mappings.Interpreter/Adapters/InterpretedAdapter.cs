extern alias generator;

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using generator::Truto.Mappings.Generator.Model;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Interpreter.Evaluation;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Interpreter.Adapters;

/// <summary>
/// A provider adapter driven by its parsed YAML at run time: what the generator emits as a
/// <c>{Name}Adapter</c> class (base URL, auth, common headers, errors, rate-limit headers, the
/// operations), evaluated from the same model instead. The runtime cannot tell it from a compiled one.
/// </summary>
public sealed class InterpretedAdapter : ProviderAdapter
{
    private readonly ProviderSpec _spec;
    private readonly Regex? _rateLimitPattern;

    internal InterpretedAdapter(ProviderSpec spec)
    {
        _spec = spec;
        FilePath = spec.FilePath;
        if (spec.RateLimit is { PatternHeader: not null, Pattern: { } pattern })
        {
            _rateLimitPattern = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        var operations = new List<ProviderOperation>();
        foreach (var method in spec.Methods)
        {
            if (method.Single is { } single)
            {
                operations.Add(new InterpretedSingleOperation(this, spec, method.Name, single));
            }
        }
        foreach (var method in spec.Methods)
        {
            if (method.Batch is { } batch)
            {
                operations.Add(SharedEnum.To<BatchStrategy>(batch.Strategy) == BatchStrategy.FanOut
                    ? new InterpretedFanOutOperation(spec, method.Name, batch, operations.OfType<InterpretedSingleOperation>().First(o => o.Info.Method == batch.FanOutTo))
                    : new InterpretedBatchOperation(this, spec, method.Name, batch));
            }
        }
        // In the file's method order, as the emitted Info lists them.
        Operations = [.. spec.Methods.Select(m => operations.First(o => o.Info.Method == m.Name))];
        Info = ProviderInfos.From(spec, Operations.Select(o => o.Info));
    }

    /// <summary>The YAML file this adapter runs.</summary>
    public string FilePath { get; }

    /// <summary>The operations, one per method the file maps, in its order.</summary>
    public IReadOnlyList<ProviderOperation> Operations { get; }

    /// <inheritdoc />
    public override ProviderInfo Info { get; }

    /// <inheritdoc />
    public override string BuildBaseUrl(AccountContext context)
    {
        // Auth alternatives with their own base URL come first, each when its key is present.
        foreach (var alternative in _spec.AuthAlternatives)
        {
            if (alternative.BaseUrl is { } url && Selected(alternative, context))
            {
                return TemplateText.Evaluate(url, TextPlace.Url, context, null, null);
            }
        }
        return TemplateText.Evaluate(_spec.BaseUrl, TextPlace.Url, context, null, null);
    }

    /// <inheritdoc />
    public override void Authenticate(ProviderRequest request, AccountContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var auth = _spec.AuthAlternatives.FirstOrDefault(a => Selected(a, context)) ?? _spec.Auth;
        switch (auth.Kind)
        {
            case AuthKind.Bearer:
                request.SecretHeaders.Add(new("Authorization", "Bearer " + Plain(auth.Token!, context)));
                break;
            case AuthKind.Basic:
                var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Plain(auth.Username!, context) + ":" + Plain(auth.Password!, context)));
                request.SecretHeaders.Add(new("Authorization", "Basic " + credentials));
                break;
            default:
                foreach (var header in auth.Headers)
                {
                    request.SecretHeaders.Add(new(header.Name, Plain(header.Value, context)));
                }
                break;
        }
    }

    /// <inheritdoc />
    public override string? BuildOAuthAuthorizeUrl(AccountContext context)
        => _spec.OAuth2 is { } oauth ? TemplateText.Evaluate(oauth.AuthorizeUrl, TextPlace.Url, context, null, null) : null;

    /// <inheritdoc />
    public override string? BuildOAuthTokenUrl(AccountContext context)
        => _spec.OAuth2 is { } oauth ? TemplateText.Evaluate(oauth.TokenUrl, TextPlace.Url, context, null, null) : null;

    /// <inheritdoc />
    public override string? BuildOAuthScope(AccountContext context)
        => _spec.OAuth2 is { ScopesReadContext: true } oauth
            ? TemplateText.Evaluate(oauth.JoinedScope, TextPlace.Plain, context, null, null)
            : base.BuildOAuthScope(context);

    /// <inheritdoc />
    public override void AddHeaders(ProviderRequest request, AccountContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var header in _spec.Headers)
        {
            request.Headers.Add(new(header.Name, Plain(header.Value, context)));
        }
    }

    /// <inheritdoc />
    public override string? ReadErrorMessage(JsonElement body) => PathEvaluator.FirstText(_spec.Errors.MessagePaths, body, body);

    /// <inheritdoc />
    public override string? ReadErrorCode(JsonElement body) => PathEvaluator.FirstText(_spec.Errors.CodePaths, body, body);

    /// <inheritdoc />
    public override int? StatusForErrorCode(string code)
        => _spec.Errors.StatusByCode.FirstOrDefault(s => s.Code == code)?.Status;

    /// <inheritdoc />
    public override bool IsRateLimitCode(string code) => _spec.Errors.RateLimitCodes.Contains(code);

    /// <inheritdoc />
    public override bool IsGoneCode(string code) => _spec.Errors.GoneCodes.Contains(code);

    /// <inheritdoc />
    public override RateLimitInfo ReadRateLimit(Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (_spec.RateLimit is not { } rate)
        {
            return RateLimitInfo.None;
        }
        var format = SharedEnum.To<ResetFormat>(rate.ResetFormat);
        RateLimitInfo? result = null;
        if (_rateLimitPattern is not null)
        {
            result = RateLimitInfo.FromPattern(header(rate.PatternHeader!), _rateLimitPattern, format, now);
        }
        if (rate.LimitHeader is not null || rate.RemainingHeader is not null || rate.ResetHeader is not null)
        {
            string? Header(string? name) => name is null ? null : header(name);
            var fromHeaders = RateLimitInfo.FromHeaders(Header(rate.LimitHeader), Header(rate.RemainingHeader), Header(rate.ResetHeader), format, now);
            result = result is null ? fromHeaders : result.Or(fromHeaders);
        }
        return result ?? RateLimitInfo.None;
    }

    private static bool Selected(AuthSpec alternative, AccountContext context) => context.Find(alternative.When!) is not null;

    private static string Plain(generator::Truto.Mappings.Expressions.Template template, AccountContext context)
        => TemplateText.Evaluate(template, TextPlace.Plain, context, null, null);
}
