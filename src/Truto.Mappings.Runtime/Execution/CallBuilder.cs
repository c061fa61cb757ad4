using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;

namespace Truto.Mappings.Execution;

/// <summary>
/// Builds one provider call: the context checked against the provider's declaration
/// (<see cref="ContextValidator"/>), the base URL by policy and checked for egress
/// (<see cref="BaseUrlResolver"/>: the account's <c>base_url</c>, then configuration, then the
/// YAML), the operation's request, the provider's common headers and auth, and the caller's
/// <c>remote_query</c>/<c>remote_data</c> for the transport to merge (they may add, never replace:
/// <see cref="RemoteAdditions"/>). Every refusal is a 400 naming the key, before anything is sent.
/// </summary>
internal sealed class CallBuilder(TrutoMappingsOptions options, EgressPolicy egress)
{
    private readonly BaseUrlResolver _baseUrls = new(options, egress);

    /// <summary>The call, or the 400 that stops it.</summary>
    public (ProviderCall? Call, TrutoError? Error) Build(ProviderOperation operation, IntegratedAccount account, RequestValues values, UnifiedRequestOptions requestOptions, JsonElement? remoteData)
    {
        var adapter = operation.Provider;
        try
        {
            if (ContextValidator.Validate(adapter.Info.Context, account.Context.Root, egress, adapter.Info.DisplayName, adapter.Info.RequiredContextChoices) is { } invalid)
            {
                return (null, invalid);
            }
            var (baseUrl, refused) = _baseUrls.Resolve(adapter, account.Context);
            if (baseUrl is null)
            {
                return (null, refused);
            }
            var request = new ProviderRequest();
            adapter.AddHeaders(request, account.Context);
            operation.BuildRequest(request, values);
            adapter.Authenticate(request, account.Context);
            if (RemoteAdditions.FindClash(request, requestOptions.RemoteQuery, remoteData) is { } clash)
            {
                return (null, clash);
            }
            return (new ProviderCall(adapter.Info.Name, account.Id, adapter.Info.Rates, baseUrl, request, requestOptions.RemoteQuery, remoteData)
            {
                // A fan-out sends the single-id operation's request, so that operation's YAML decides.
                Idempotent = (operation is FanOutOperation fanOut ? fanOut.PerId : operation).Info.Idempotent,
            }, null);
        }
        catch (ContextKeyException e)
        {
            return (null, TrutoError.BadRequest("context." + e.Key, e.Message));
        }
    }
}
