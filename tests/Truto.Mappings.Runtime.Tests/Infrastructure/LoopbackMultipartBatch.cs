using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// <c>contacts.batch_delete</c> of a <see cref="LoopbackProvider"/> as Dataverse's <c>$batch</c>:
/// <c>POST /$batch</c> with <c>Prefer: odata.continue-on-error</c> and one part per id,
/// <c>DELETE /contacts({id})</c> (the id percent-encoded, as generated code does) with an
/// <c>MSCRMCallerID</c> part header; the answer is read part by part.
/// </summary>
internal sealed class LoopbackMultipartBatch(LoopbackProvider provider, int idsPerCall) : BatchOperation
{
    public override ProviderAdapter Provider => provider;

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, idsPerCall, 1, ["id"], [new("id", FieldLocation.Body, true)]);

    public override bool AnswersInParts => true;

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "POST";
        request.Path = "/$batch";
        request.Headers.Add(new("Prefer", "odata.continue-on-error"));
        foreach (var id in values.Ids)
        {
            request.AddPart("DELETE", "/contacts(" + Uri.EscapeDataString(id) + ")").Headers.Add(new("MSCRMCallerID", "caller-1"));
        }
    }

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}
