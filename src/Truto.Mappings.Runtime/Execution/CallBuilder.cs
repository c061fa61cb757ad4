using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;

namespace Truto.Mappings.Execution;

/// <summary>
/// Builds one provider call: the base URL by policy (the account's <c>base_url</c>, then
/// configuration, then the YAML), the operation's request, the provider's common headers and
/// auth, and the caller's <c>remote_query</c>/<c>remote_data</c> for the transport to merge (they
/// may add, never replace: <see cref="RemoteAdditions"/>). A context key the account lacks is a
/// 400 naming it, before anything is sent.
/// </summary>
internal sealed class CallBuilder(TrutoMappingsOptions options)
{
    /// <summary>The call, or the 400 that stops it.</summary>
    public (ProviderCall? Call, TrutoError? Error) Build(ProviderOperation operation, IntegratedAccount account, RequestValues values, UnifiedRequestOptions requestOptions, JsonElement? remoteData)
    {
        var adapter = operation.Provider;
        try
        {
            var baseUrl = account.Context.Find("base_url")
                ?? (options.ProviderBaseUrls.TryGetValue(adapter.Info.Name, out var configured) ? configured : null)
                ?? adapter.BuildBaseUrl(account.Context);
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return (null, TrutoError.BadRequest("base_url", $"The base URL for {adapter.Info.DisplayName} is not an absolute http(s) URL; check the account's context (base_url, or the keys its base URL is made of)."));
            }
            var request = new ProviderRequest();
            adapter.AddHeaders(request, account.Context);
            operation.BuildRequest(request, values);
            adapter.Authenticate(request, account.Context);
            if (RemoteAdditions.FindClash(request, requestOptions.RemoteQuery, remoteData) is { } clash)
            {
                return (null, clash);
            }
            return (new ProviderCall(adapter.Info.Name, account.Id, adapter.Info.Rate, baseUrl, request, requestOptions.RemoteQuery, remoteData)
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
