using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary><c>contacts.delete</c> of a <see cref="LoopbackProvider"/>: <c>DELETE /contacts/{id}</c>, any 2xx succeeds; idempotent or not as the test needs.</summary>
internal sealed class LoopbackDelete(LoopbackProvider provider, bool idempotent = false) : SingleIdOperation
{
    public override ProviderAdapter Provider => provider;

    public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]) { Idempotent = idempotent };

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "DELETE";
        request.Path = "/contacts/" + Uri.EscapeDataString(values.Id);
    }

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}
