using System.Text.Json;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Adapters;

/// <summary>
/// A batch for providers without a batch endpoint (<c>strategy: fan_out</c>): every id is one call
/// of <see cref="PerId"/>, whose request, statuses and mapping are used unchanged. Generated
/// subclasses only name that operation and their coverage.
/// </summary>
public abstract class FanOutOperation : BatchOperation
{
    /// <summary>Creates the fan-out over <paramref name="perId"/>.</summary>
    protected FanOutOperation(SingleIdOperation perId)
    {
        ArgumentNullException.ThrowIfNull(perId);
        PerId = perId;
    }

    /// <summary>The single-id operation each id goes through.</summary>
    public SingleIdOperation PerId { get; }

    /// <inheritdoc />
    public sealed override ProviderAdapter Provider => PerId.Provider;

    /// <summary>Always 1: one call per id, whatever the info says.</summary>
    public sealed override int IdsPerCall => 1;

    /// <inheritdoc />
    public sealed override void BuildRequest(ProviderRequest request, RequestValues values) => PerId.BuildRequest(request, values);

    /// <inheritdoc />
    public sealed override bool IsSuccessStatus(int status) => PerId.IsSuccessStatus(status);

    /// <inheritdoc />
    public sealed override bool ReportsFailure(JsonElement body) => PerId.ReportsFailure(body);

    /// <summary>None: each call answers for its one id.</summary>
    public sealed override IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids) => null;

    /// <inheritdoc />
    public sealed override void WriteContact(ContactWriter writer, MappingInput input) => PerId.WriteContact(writer, input);
}
