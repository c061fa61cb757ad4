using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// A provider written by hand as the generator would write it from an <c>oauth2:</c> block: bearer
/// auth over <c>oauth.token.access_token</c>, errors code at <c>$.code</c> with <c>INVALID_SESSION</c>
/// declared as "token expired", <c>api_domain</c> copied from the token answer, and the token URL
/// <c>https://auth.oauth.test.example/token</c> unless a test names another (configuration points it at the loopback server).
/// </summary>
internal sealed class OAuthTestProvider : ProviderAdapter
{
    private readonly string _tokenUrl;
    private readonly bool _scopeFromContext;

    /// <param name="scopeFromContext">
    /// True for a scope built from the account's <c>region_url</c> (an https origin), sent on token
    /// requests too, as Entra ID's is: <c>{{context.region_url}}/all offline_access</c>.
    /// </param>
    public OAuthTestProvider(OAuthClientAuthentication authentication = OAuthClientAuthentication.Body, OAuthRequestEncoding encoding = OAuthRequestEncoding.Form, string tokenUrl = "https://auth.oauth.test.example/token", bool scopeFromContext = false)
    {
        _tokenUrl = tokenUrl;
        _scopeFromContext = scopeFromContext;
        Delete = new OAuthTestDelete(this);
        Batch = new OAuthTestBatch(this);
        FanOut = new OAuthTestFanOut(Delete);
        Info = new ProviderInfo("oauthtest", "OAuth Test CRM", null, [OAuthContextKeys.AccessToken], [Delete.Info, Batch.Info])
        {
            Context =
            [
                new ContextKey(OAuthContextKeys.AccessToken, ContextValueType.Text, Secret: true, "Access token", null, Required: true, Shape: null),
                new ContextKey(OAuthContextKeys.RefreshToken, ContextValueType.Text, Secret: true, "Refresh token", null, Required: false, Shape: null),
                new ContextKey(OAuthContextKeys.ExpiresAt, ContextValueType.Text, Secret: false, "Expires at", null, Required: false, Shape: null),
                new ContextKey("api_domain", ContextValueType.Text, Secret: false, "API domain", null, Required: false, Shape: null),
                new ContextKey("region_url", ContextValueType.Text, Secret: false, "Region URL", null, Required: false, Shape: new(ContextShapeKind.HttpsOrigin, [])),
            ],
            Hosts = ["*.oauth.test.example"],
            OAuth2 = scopeFromContext
                ? new OAuth2Info(["{{context.region_url}}/all", "offline_access"], " ", [], false, authentication, encoding, [new OAuthTokenValue("api_domain", "api_domain")], ["INVALID_SESSION"])
                {
                    ScopeContextKeys = ["region_url"],
                    ScopeOnTokenRequests = true,
                }
                : new OAuth2Info(["contacts"], " ", [], false, authentication, encoding, [new OAuthTokenValue("api_domain", "api_domain")], ["INVALID_SESSION"]),
        };
    }

    public OAuthTestDelete Delete { get; }

    public OAuthTestBatch Batch { get; }

    public OAuthTestFanOut FanOut { get; }

    public override ProviderInfo Info { get; }

    public override string BuildBaseUrl(AccountContext context) => "https://api.oauth.test.example";

    public override string? BuildOAuthTokenUrl(AccountContext context) => _tokenUrl;

    public override string? BuildOAuthScope(AccountContext context)
        => _scopeFromContext ? string.Concat(context.Require("region_url"), "/all offline_access") : base.BuildOAuthScope(context);

    public override void Authenticate(ProviderRequest request, AccountContext context)
        => request.SecretHeaders.Add(new("Authorization", "Bearer " + context.Require(OAuthContextKeys.AccessToken)));

    public override string? ReadErrorMessage(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "message"u8));

    public override string? ReadErrorCode(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "code"u8));
}

/// <summary><c>DELETE /contacts/{id}</c>, success 204.</summary>
internal sealed class OAuthTestDelete(OAuthTestProvider provider) : SingleIdOperation
{
    public override ProviderAdapter Provider => provider;

    public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]);

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "DELETE";
        request.Path = "/contacts/" + Uri.EscapeDataString(values.Id);
    }

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}

/// <summary>Native batch: <c>POST /contacts/batch?ids=a,b</c>, 2 ids per call, items at <c>$.results[*]</c>.</summary>
internal sealed class OAuthTestBatch(OAuthTestProvider provider) : BatchOperation
{
    public override ProviderAdapter Provider => provider;

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, 2, 2, ["id"], [new("id", FieldLocation.Body, true)]) { IdSeparator = "," };

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "POST";
        request.Path = "/contacts/batch";
        request.Query.Add(new("ids", string.Join(',', values.Ids)));
    }

    public override IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids)
        => BatchItemResult.ById(ids, JsonNavigation.Children(JsonNavigation.Property(body, "results"u8)),
            item => JsonNavigation.AsText(JsonNavigation.Property(item, "id"u8)),
            item => JsonNavigation.EqualsLiteral(JsonNavigation.Property(item, "ok"u8), JsonValueKind.True, "true"),
            item => null,
            item => null);

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}

/// <summary>A fan-out batch through <see cref="OAuthTestDelete"/>.</summary>
internal sealed class OAuthTestFanOut(OAuthTestDelete perId) : FanOutOperation(perId)
{
    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.FanOut, 1, 4, ["id"], [new("id", FieldLocation.Body, true)]);
}
