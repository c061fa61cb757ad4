using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// <c>contacts.batch_delete</c> of a <see cref="LoopbackProvider"/>, native: <c>POST /contacts/batch</c>
/// with <c>{"ids": […]}</c>, <paramref name="idsPerCall"/> ids per call, <paramref name="concurrency"/>
/// calls at once; no per-item report, so a call's success or failure is each of its ids'.
/// </summary>
internal sealed class LoopbackBatch(LoopbackProvider provider, int idsPerCall, int concurrency) : BatchOperation
{
    public override ProviderAdapter Provider => provider;

    public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, idsPerCall, concurrency, ["id"], [new("id", FieldLocation.Body, true)]);

    public override void BuildRequest(ProviderRequest request, RequestValues values)
    {
        request.Method = "POST";
        request.Path = "/contacts/batch";
        request.Body = JsonSerializer.SerializeToUtf8Bytes(new { ids = values.Ids });
    }

    public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
}
