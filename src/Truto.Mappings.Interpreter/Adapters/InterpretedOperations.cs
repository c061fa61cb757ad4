extern alias generator;

using System.Text.Json;
using generator::Truto.Mappings.Generator.Model;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Interpreter.Evaluation;
using Truto.Mappings.Json;

namespace Truto.Mappings.Interpreter.Adapters;

/// <summary>The request and status checks every interpreted operation with its own request shares (the emitter's <c>.Body</c> and <c>.Status</c>).</summary>
internal sealed class InterpretedRequest(RequestSpec spec)
{
    public void Build(ProviderRequest request, RequestValues values)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(values);
        request.Method = spec.Method;
        request.Path = TemplateText.Evaluate(spec.Path, TextPlace.Path, values.Context, values.Id, values.Ids);
        foreach (var query in spec.Query)
        {
            request.Query.Add(new(query.Name, TemplateText.Evaluate(query.Value, TextPlace.Plain, values.Context, values.Id, values.Ids)));
        }
        foreach (var header in spec.Headers)
        {
            request.Headers.Add(new(header.Name, TemplateText.Evaluate(header.Value, TextPlace.Plain, values.Context, values.Id, values.Ids)));
        }
        if (spec.Body is { } body)
        {
            request.Body = RequestBody.Write(body, values);
        }
        if (spec.Parts is { } parts)
        {
            // One part per id, as the emitter's WriteParts: the path encoded as any path.
            foreach (var id in values.Ids)
            {
                var part = request.AddPart(parts.Method, TemplateText.Evaluate(parts.Path, TextPlace.Path, values.Context, id, null));
                foreach (var header in parts.Headers)
                {
                    part.Headers.Add(new(header.Name, TemplateText.Evaluate(header.Value, TextPlace.Plain, values.Context, id, null)));
                }
            }
        }
    }

    /// <summary>True when the body is multipart/mixed, so the answer is read part by part.</summary>
    public bool AnswersInParts => spec.Parts is not null;

    public bool? IsSuccessStatus(int status) => spec.SuccessStatuses.Count > 0 ? spec.SuccessStatuses.Contains(status) : null;

    public bool ReportsFailure(JsonElement body)
        => spec.FailureWhen is { } failureWhen && JsonNavigation.IsPresent(PathEvaluator.First(failureWhen, body, body));
}

/// <summary>A single-id method (<c>delete</c>) run from its YAML: one id, one provider call.</summary>
public sealed class InterpretedSingleOperation : SingleIdOperation
{
    private readonly InterpretedRequest _request;
    private readonly ContactMapping _mapping;

    internal InterpretedSingleOperation(InterpretedAdapter provider, ProviderSpec spec, string method, OperationSpec single)
    {
        Provider = provider;
        _request = new InterpretedRequest(single.Request);
        _mapping = new ContactMapping(single.Response);
        Info = new OperationInfo(spec.Resource, method, BatchStrategy.Native, 1, 1, [.. ContactMapping.Covered(single.Response)], [new("id", FieldLocation.Path, true)])
        {
            IdPattern = ProviderInfos.IdPattern(spec),
            NumericIds = single.Request.NumericIds,
            Idempotent = single.Idempotent,
        };
    }

    /// <inheritdoc />
    public override ProviderAdapter Provider { get; }

    /// <inheritdoc />
    public override OperationInfo Info { get; }

    /// <inheritdoc />
    public override void BuildRequest(ProviderRequest request, RequestValues values) => _request.Build(request, values);

    /// <inheritdoc />
    public override bool IsSuccessStatus(int status) => _request.IsSuccessStatus(status) ?? base.IsSuccessStatus(status);

    /// <inheritdoc />
    public override bool ReportsFailure(JsonElement body) => _request.ReportsFailure(body);

    /// <inheritdoc />
    public override void WriteContact(ContactWriter writer, MappingInput input) => _mapping.Write(writer, input);
}

/// <summary>A native batch method run from its YAML: the provider's batch endpoint, in chunks of <c>max_ids</c>.</summary>
public sealed class InterpretedBatchOperation : BatchOperation
{
    private readonly InterpretedRequest _request;
    private readonly ContactMapping _mapping;
    private readonly ItemsSpec? _items;

    internal InterpretedBatchOperation(InterpretedAdapter provider, ProviderSpec spec, string method, BatchSpec batch)
    {
        Provider = provider;
        _request = new InterpretedRequest(batch.Request!);
        _mapping = new ContactMapping(batch.Response);
        _items = batch.Items;
        Info = new OperationInfo(spec.Resource, method, SharedEnum.To<BatchStrategy>(batch.Strategy), batch.MaxIds, batch.Concurrency,
            [.. ContactMapping.Covered(batch.Response)], ProviderInfos.BatchRequestFields(batch))
        {
            IdPattern = ProviderInfos.IdPattern(spec),
            IdSeparator = batch.IdSeparator,
            NumericIds = batch.Request!.NumericIds,
            Idempotent = batch.Idempotent,
        };
    }

    /// <inheritdoc />
    public override ProviderAdapter Provider { get; }

    /// <inheritdoc />
    public override OperationInfo Info { get; }

    /// <inheritdoc />
    public override void BuildRequest(ProviderRequest request, RequestValues values) => _request.Build(request, values);

    /// <inheritdoc />
    public override bool IsSuccessStatus(int status) => _request.IsSuccessStatus(status) ?? base.IsSuccessStatus(status);

    /// <inheritdoc />
    public override bool ReportsFailure(JsonElement body) => _request.ReportsFailure(body);

    /// <inheritdoc />
    public override IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids)
        => _items is { } items ? BatchItems.Read(items, body, ids) : null;

    /// <inheritdoc />
    public override bool AnswersInParts => _request.AnswersInParts;

    /// <inheritdoc />
    public override void WriteContact(ContactWriter writer, MappingInput input) => _mapping.Write(writer, input);
}

/// <summary>A fan-out batch run from its YAML: each id through the single-id operation, <c>concurrency</c> at a time.</summary>
public sealed class InterpretedFanOutOperation : FanOutOperation
{
    internal InterpretedFanOutOperation(ProviderSpec spec, string method, BatchSpec batch, InterpretedSingleOperation perId)
        : base(perId)
    {
        Info = new OperationInfo(spec.Resource, method, SharedEnum.To<BatchStrategy>(batch.Strategy), 1, batch.Concurrency,
            perId.Info.ResponseFields, ProviderInfos.BatchRequestFields(batch))
        {
            IdPattern = perId.Info.IdPattern,
            Idempotent = perId.Info.Idempotent,
        };
    }

    /// <inheritdoc />
    public override OperationInfo Info { get; }
}
