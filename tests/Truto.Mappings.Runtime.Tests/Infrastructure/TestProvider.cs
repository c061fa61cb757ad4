using System.Text.Json;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// A provider written by hand as the generator would write it from YAML with
/// <c>errors: {message: $.message, code: $.code, rate_limit_codes: [SLOW_DOWN],
/// gone_codes: [ALREADY_DELETED], status_by_code: {NO_SUCH_CONTACT: 404}}</c>, a common header,
/// basic auth over <c>{{context.api_key}}</c>, base URL <c>https://{{context.region}}.test.example</c>,
/// <c>hosts: ["*.test.example"]</c>, and the context declared: <c>api_key</c> (secret, required),
/// <c>region</c> (required, a DNS label) and <c>owner.email</c> (optional). Ids are up to 18 letters,
/// digits or slashes (<c>id_pattern</c>); the native batch joins them with commas.
/// </summary>
internal sealed class TestProvider : ProviderAdapter
{
    public static TestProvider Instance { get; } = new();

    public override ProviderInfo Info { get; } = new("test", "Test CRM", null, ["api_key", "region"], [TestDelete.Instance.Info, TestBatch.Instance.Info, TestFanOut.Instance.Info])
    {
        Context =
        [
            new ContextKey("api_key", ContextValueType.Text, Secret: true, "API key", "Settings → API", Required: true, Shape: null),
            new ContextKey("region", ContextValueType.Text, Secret: false, "Region", "The first label of your account's host", Required: true, new ContextShape(ContextShapeKind.DnsLabel, [])),
            new ContextKey("owner.email", ContextValueType.Text, Secret: false, "Owner e-mail", null, Required: false, Shape: null),
        ],
        Hosts = ["*.test.example"],
    };

    public override string BuildBaseUrl(AccountContext context) => "https://" + context.Require("region") + ".test.example";

    public override void Authenticate(ProviderRequest request, AccountContext context)
        => request.SecretHeaders.Add(new("Authorization", "Basic " + context.Require("api_key")));

    public override void AddHeaders(ProviderRequest request, AccountContext context)
        => request.Headers.Add(new("API-Version", "7"));

    public override string? ReadErrorMessage(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "message"u8));

    public override string? ReadErrorCode(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "code"u8));

    public override int? StatusForErrorCode(string code) => code == "NO_SUCH_CONTACT" ? 404 : null;

    public override bool IsRateLimitCode(string code) => code == "SLOW_DOWN";

    public override bool IsGoneCode(string code) => code == "ALREADY_DELETED";
}

/// <summary><c>contacts.delete</c>: <c>DELETE /contacts/{{id}}</c>, success 200 or 204, <c>failure_when: $.errors</c>.</summary>
internal sealed class TestDelete : SingleIdOperation
{
    /// <summary>The id pattern of the test provider's contacts (declared before <see cref="Instance"/>: static initialisers run in order).</summary>
    public static Regex IdPattern { get; } = new("^[A-Za-z0-9/]{1,18}$", RegexOptions.CultureInvariant);

    public static TestDelete Instance { get; } = new();

    public override ProviderAdapter Provider => TestProvider.Instance;

    public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]) { IdPattern = TestDelete.IdPattern };

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "DELETE";
        request.Path = "/contacts/" + Uri.EscapeDataString(values.Id);
        request.Headers.Add(new("X-Operation", "delete"));
    }

    public override bool IsSuccessStatus(int status) => status is 200 or 204;

    public override bool ReportsFailure(JsonElement body) => JsonNavigation.IsPresent(JsonNavigation.Property(body, "errors"u8));

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}

/// <summary>
/// <c>contacts.batch_delete</c>, native: <c>POST /contacts/batch?ids={{ids | join(',')}}</c>, items at <c>$.results[*]</c> matched by <c>@.id</c>,
/// succeeded when <c>@.ok == true</c>, error message <c>@.error</c> and code <c>@.code</c>.
/// </summary>
internal sealed class TestBatch : BatchOperation
{
    public static TestBatch Instance { get; } = new();

    public override ProviderAdapter Provider => TestProvider.Instance;

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, 50, 2, ["id"], [new("id", FieldLocation.Body, true)]) { IdPattern = TestDelete.IdPattern, IdSeparator = "," };

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
            item => JsonNavigation.AsText(JsonNavigation.Property(item, "error"u8)),
            item => JsonNavigation.AsText(JsonNavigation.Property(item, "code"u8)));

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}

/// <summary>A fan-out batch through <see cref="TestDelete"/>.</summary>
internal sealed class TestFanOut : FanOutOperation
{
    private TestFanOut()
        : base(TestDelete.Instance)
    {
    }

    public static TestFanOut Instance { get; } = new();

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.FanOut, 1, 3, ["id"], [new("id", FieldLocation.Body, true)]);
}
