using System.Text.Json;
using Microsoft.Extensions.Options;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Execution;
using Truto.Mappings.Formats;
using Truto.Mappings.Http;
using Truto.Mappings.OAuth;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Client;

/// <summary>
/// The unified contacts API as a library: <c>DELETE /unified/crm/contacts/{id}</c> and
/// <c>POST /unified/crm/contacts/batch-delete</c> over any provider of the catalogue, or any method
/// of the operation table through <see cref="ExecuteAsync"/>. Every answer, failures included, is a
/// <see cref="UnifiedResult"/> holding the exact HTTP body.
/// </summary>
/// <remarks>
/// A façade: the operation table finds the method and the provider's operation, the executor of
/// the method's shape checks the input, builds the calls (<see cref="CallBuilder"/>), sends them,
/// interprets the answers (<see cref="OutcomeInterpreter"/>) and writes the result (<see cref="ResponseWriter"/>).
/// </remarks>
public sealed class UnifiedContactsClient
{
    /// <summary>The resource this client serves, as the schema names it.</summary>
    private const string Resource = "contacts";

    private readonly ProviderCatalog _catalog;
    private readonly OperationTable _operations;
    private readonly Dictionary<OperationShape, IOperationExecutor> _executors;
    private readonly TokenRefresher _refresher;

    internal UnifiedContactsClient(ProviderCatalog catalog, OperationTable operations, ProviderTransport transport, IOptions<TrutoMappingsOptions> options, Egress.EgressPolicy egress, TimeProvider time, TokenRefresher refresher)
    {
        _refresher = refresher;
        _catalog = catalog;
        _operations = operations;
        var calls = new CallBuilder(options.Value, egress);
        IOperationExecutor[] executors = [new SingleCallExecutor(calls, transport, options.Value, time), new BatchExecutor(calls, transport, options.Value, time)];
        _executors = executors.ToDictionary(e => e.Shape);
    }

    /// <summary>The providers this client can call.</summary>
    public ProviderCatalog Providers => _catalog;

    /// <summary>The methods this client can run, with the providers that map each.</summary>
    public OperationTable Operations => _operations;

    /// <summary>Deletes one contact and answers with it, mapped (not wrapped).</summary>
    public Task<UnifiedResult> DeleteAsync(IntegratedAccount account, string id, UnifiedRequestOptions? options = null, CancellationToken cancellationToken = default)
        => ExecuteAsync(account, "delete", new OperationInput([id]), options, null, cancellationToken);

    /// <summary>
    /// Deletes several contacts: in chunks of the provider's batch limit through its batch
    /// endpoint, or one delete per id (fan-out), as its YAML says. Every id is answered exactly
    /// once, in <c>result</c> or in <c>errors</c>.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="ids">The ids (body ids first, then query ids; see <see cref="Requests.IdList.Merge"/>).</param>
    /// <param name="remoteData">The body's <c>remote_data</c>, merged over the provider's request body.</param>
    /// <param name="options">The Truto parameters.</param>
    /// <param name="progress">Told after each provider call how far the batch has come (large batches take many calls).</param>
    /// <param name="cancellationToken">Cancels the provider calls.</param>
    public Task<UnifiedResult> BatchDeleteAsync(IntegratedAccount account, IReadOnlyList<string> ids, JsonElement? remoteData = null, UnifiedRequestOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ExecuteAsync(account, "batch_delete", new OperationInput(ids) { RemoteData = remoteData }, options, progress, cancellationToken);
    }

    /// <summary>
    /// Runs any contacts method of the operation table, by its name (<c>batch_delete</c>) or URL
    /// slug (<c>batch-delete</c>): the input is checked for the method's shape, the account's
    /// provider must map the method, and the executor of that shape does the rest.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="method">The method's name or slug; an unknown one is a 404.</param>
    /// <param name="input">The ids (one for single methods) and <c>remote_data</c>.</param>
    /// <param name="options">The Truto parameters.</param>
    /// <param name="progress">Told after each provider call how far a batch has come.</param>
    /// <param name="cancellationToken">Cancels the provider calls.</param>
    public async Task<UnifiedResult> ExecuteAsync(IntegratedAccount account, string method, OperationInput input, UnifiedRequestOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(input);
        if (!RuntimeMetrics.UnifiedEnabled)
        {
            return await RunAsync(account, method, input, options ?? UnifiedRequestOptions.Default, progress, cancellationToken).ConfigureAwait(false);
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await RunAsync(account, method, input, options ?? UnifiedRequestOptions.Default, progress, cancellationToken).ConfigureAwait(false);
        // Labels from the catalogue and the table, never the caller's text: an unknown name is "unknown".
        RuntimeMetrics.Unified(
            _catalog.Find(account.Integration)?.Info.Name ?? "unknown",
            _operations.Find(Resource, method)?.Name ?? "unknown",
            result.StatusCode,
            System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return result;
    }

    private async Task<UnifiedResult> RunAsync(IntegratedAccount account, string method, OperationInput input, UnifiedRequestOptions options, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        if (_operations.Find(Resource, method) is not { } operation)
        {
            return ResponseWriter.Failure(new TrutoError(404, $"Unknown method '{method}'; {Resource} has {_operations.Describe(Resource)}."));
        }
        var executor = _executors[operation.Shape];
        var (prepared, invalid) = executor.Prepare(input);
        if (prepared is null)
        {
            return ResponseWriter.Failure(invalid!);
        }
        var (providerOperation, unsupported) = Resolve(account, operation);
        if (providerOperation is null)
        {
            return ResponseWriter.Failure(unsupported!);
        }
        var session = new AccountSession(account, providerOperation.Provider, _refresher);
        var result = await executor.ExecuteAsync(providerOperation, session, prepared, options, progress, cancellationToken).ConfigureAwait(false);
        result.RefreshedContext = session.Refreshed;
        return result;
    }

    /// <summary>
    /// Checks a call as <see cref="ExecuteAsync"/> would before its first provider call (the
    /// method, the input for the method's shape, the account's integration and its mapping) and
    /// answers the same failure it would, or null when the call may run. A caller that runs the
    /// call later (a batch-delete job) answers these 400s and 404s at once instead.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="method">The method's name or slug.</param>
    /// <param name="input">The ids and <c>remote_data</c>.</param>
    public UnifiedResult? Check(IntegratedAccount account, string method, OperationInput input)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(input);
        if (_operations.Find(Resource, method) is not { } operation)
        {
            return ResponseWriter.Failure(new TrutoError(404, $"Unknown method '{method}'; {Resource} has {_operations.Describe(Resource)}."));
        }
        if (_executors[operation.Shape].Prepare(input) is { Input: null, Error: { } invalid })
        {
            return ResponseWriter.Failure(invalid);
        }
        return Resolve(account, operation) is { Operation: null, Error: { } unsupported } ? ResponseWriter.Failure(unsupported) : null;
    }

    private (ProviderOperation? Operation, TrutoError? Error) Resolve(IntegratedAccount account, UnifiedOperation operation)
    {
        var adapter = _catalog.Find(account.Integration);
        if (adapter is null)
        {
            return (null, TrutoError.BadRequest("integration", $"The integrated account's integration '{account.Integration}' is not known; known integrations: {string.Join(", ", _catalog.Names)}."));
        }
        if (operation.For(adapter.Info.Name) is not { } providerOperation)
        {
            var supported = operation.Providers.Select(p => p.Provider.Info.Name);
            return (null, new TrutoError(404, $"{adapter.Info.DisplayName} has no mapping for {operation.Slug}; integrations that have one: {string.Join(", ", supported)}."));
        }
        return (providerOperation, null);
    }
}
