using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Adapters;

/// <summary>The unified methods of the contacts resource.</summary>
public enum ContactsMethod
{
    /// <summary><c>DELETE /unified/crm/contacts/{id}</c></summary>
    Delete,

    /// <summary><c>POST /unified/crm/contacts/batch-delete</c></summary>
    BatchDelete,
}

/// <summary>
/// A provider's compiled mapping. Subclasses are generated from <c>mappings/providers/*.yaml</c>;
/// the runtime drives them and never needs to know which provider it is talking to.
/// </summary>
public abstract class ProviderAdapter
{
    /// <summary>Name, display name, context keys, supported methods and coverage.</summary>
    public abstract ProviderInfo Info { get; }

    /// <summary>The provider's base URL for an account (from the YAML's <c>base_url</c> template).</summary>
    public abstract string BuildBaseUrl(AccountContext context);

    /// <summary>Adds the authentication headers. Everything added here is a secret.</summary>
    public abstract void Authenticate(ProviderRequest request, AccountContext context);

    /// <summary>Fills in the method, path, query, headers and body of a request.</summary>
    public abstract void BuildRequest(ContactsMethod method, ProviderRequest request, RequestValues values);

    /// <summary>True when a status counts as success for the method (the YAML's <c>success</c>).</summary>
    public virtual bool IsSuccessStatus(ContactsMethod method, int status) => status is >= 200 and < 300;

    /// <summary>True when a success-status body still reports failure (the YAML's <c>failure_when</c>).</summary>
    public virtual bool ReportsFailure(ContactsMethod method, JsonElement body) => false;

    /// <summary>The error message at the provider's error path, if the body has one there.</summary>
    public virtual string? ReadErrorMessage(JsonElement body) => null;

    /// <summary>The provider's error code, if it declares where that is.</summary>
    public virtual string? ReadErrorCode(JsonElement body) => null;

    /// <summary>The HTTP status the YAML assigns to an error code, if any.</summary>
    public virtual int? StatusForErrorCode(string code) => null;

    /// <summary>True when the error code means "rate limited" (e.g. Salesforce's 403 REQUEST_LIMIT_EXCEEDED).</summary>
    public virtual bool IsRateLimitCode(string code) => false;

    /// <summary>True when the error code means "already deleted" and the YAML counts that as success.</summary>
    public virtual bool IsGoneCode(string code) => false;

    /// <summary>
    /// Per-item outcomes of a native batch response, one per requested id in request order;
    /// null when the provider reports no per-item results (then the whole call decides).
    /// </summary>
    public virtual IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids) => null;

    /// <summary>Writes the mapped unified fields (not <c>remote_data</c>) of one contact.</summary>
    public abstract void WriteContact(ContactsMethod method, ContactWriter writer, MappingInput input);

    /// <summary>Reads the provider's rate-limit headers into the normalised form.</summary>
    /// <param name="header">Looks a response header up by name (case-insensitive); null when absent.</param>
    /// <param name="now">The current time, for providers that send reset times as instants.</param>
    public virtual RateLimitInfo ReadRateLimit(Func<string, string?> header, DateTimeOffset now) => RateLimitInfo.None;
}
