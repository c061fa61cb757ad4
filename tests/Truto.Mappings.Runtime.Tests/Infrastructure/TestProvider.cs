using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// A provider written by hand as the generator would write it from YAML with
/// <c>errors: {message: $.message, code: $.code, rate_limit_codes: [SLOW_DOWN],
/// gone_codes: [ALREADY_DELETED], status_by_code: {NO_SUCH_CONTACT: 404}}</c>, a common header,
/// basic auth over <c>{{context.api_key}}</c> and base URL <c>https://{{context.region}}.test.example</c>.
/// </summary>
internal sealed class TestProvider : ProviderAdapter
{
    public static TestProvider Instance { get; } = new();

    public override ProviderInfo Info { get; } = new("test", "Test CRM", null, ["api_key", "region"], [TestDelete.Instance.Info, TestBatch.Instance.Info, TestFanOut.Instance.Info]);

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
    public static TestDelete Instance { get; } = new();

    public override ProviderAdapter Provider => TestProvider.Instance;

    public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]);

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
/// <c>contacts.batch_delete</c>, native: items at <c>$.results[*]</c> matched by <c>@.id</c>,
/// succeeded when <c>@.ok == true</c>, error message <c>@.error</c> and code <c>@.code</c>.
/// </summary>
internal sealed class TestBatch : BatchOperation
{
    public static TestBatch Instance { get; } = new();

    public override ProviderAdapter Provider => TestProvider.Instance;

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, 50, 2, ["id"], [new("id", FieldLocation.Body, true)]);

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "POST";
        request.Path = "/contacts/batch";
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
