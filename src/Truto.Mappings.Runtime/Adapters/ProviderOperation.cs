using System.Text.Json;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Adapters;

/// <summary>
/// What one provider does for one unified method (<c>contacts.delete</c>): builds the provider
/// request, says which answers succeed, and maps the answer onto the unified object. Generated
/// as a type nested in the provider's adapter (<c>HubspotAdapter.Contacts.Delete</c>), deriving
/// from the base class of the method's shape: <see cref="SingleIdOperation"/> or
/// <see cref="BatchOperation"/>.
/// </summary>
public abstract class ProviderOperation
{
    /// <summary>The provider: base URL, auth, error bodies, rate limits.</summary>
    public abstract ProviderAdapter Provider { get; }

    /// <summary>The method it implements and what its mapping covers.</summary>
    public abstract OperationInfo Info { get; }

    /// <summary>Fills in the method, path, query, headers and body of one provider call.</summary>
    public abstract void BuildRequest(ProviderRequest request, RequestValues values);

    /// <summary>True when a status counts as success (the YAML's <c>success</c>; default any 2xx).</summary>
    public virtual bool IsSuccessStatus(int status) => status is >= 200 and < 300;

    /// <summary>True when a success-status body still reports failure (the YAML's <c>failure_when</c>).</summary>
    public virtual bool ReportsFailure(JsonElement body) => false;

    /// <summary>Writes the mapped unified fields (not <c>remote_data</c>) of one contact.</summary>
    public abstract void WriteContact(ContactWriter writer, MappingInput input);
}
