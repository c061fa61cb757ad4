using Truto.Mappings.Adapters;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>A fan-out batch of a <see cref="LoopbackProvider"/>: one <see cref="LoopbackDelete"/> per id, <paramref name="concurrency"/> at once.</summary>
internal sealed class LoopbackFanOut(LoopbackDelete perId, int concurrency) : FanOutOperation(perId)
{
    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.FanOut, 1, concurrency, ["id"], [new("id", FieldLocation.Body, true)]);
}
