using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Execution;

/// <summary>
/// Runs every operation of one <see cref="OperationShape"/>. A new method of an existing shape
/// needs no code; a new shape needs one executor.
/// </summary>
internal interface IOperationExecutor
{
    /// <summary>The shape this executor runs.</summary>
    OperationShape Shape { get; }

    /// <summary>The caller's input checked and normalised, or the 400 that rejects it; no I/O, before the provider is resolved.</summary>
    (OperationInput? Input, TrutoError? Error) Prepare(OperationInput input);

    /// <summary>Calls the provider for a prepared input and writes the unified answer.</summary>
    /// <param name="operation">The provider's operation; its type fits <see cref="Shape"/> (the operation table checks it).</param>
    /// <param name="session">The account, its tokens kept fresh: every provider call is built and sent through it.</param>
    /// <param name="input">The prepared input.</param>
    /// <param name="options">The Truto parameters.</param>
    /// <param name="progress">Told after each provider call how far the operation has come.</param>
    /// <param name="cancellationToken">Cancels the provider calls.</param>
    Task<UnifiedResult> ExecuteAsync(ProviderOperation operation, OAuth.AccountSession session, OperationInput input, UnifiedRequestOptions options, IProgress<BatchProgress>? progress, CancellationToken cancellationToken);
}
