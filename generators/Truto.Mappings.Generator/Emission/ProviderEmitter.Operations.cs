using System.Globalization;
using System.Linq;
using Truto.Mappings.Adapters;
using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>One nested operation type per mapped method, on the base class of its shape.</summary>
internal sealed partial class ProviderEmitter
{
    /// <summary>One nested type per method: <c>{Adapter}.{Resource}.{Method}</c>, named by <see cref="OperationNames"/>.</summary>
    private void WriteOperations(string adapterName)
    {
        _code.Line();
        _code.Line($"/// <summary>The {CodeWriter.Xml(_provider.Resource)} methods {CodeWriter.Xml(_provider.DisplayName)} maps, one operation type each.</summary>");
        _code.Open($"public static class {ResourceClass}");
        var first = true;
        foreach (var method in _provider.Methods)
        {
            if (!first)
            {
                _code.Line();
            }
            first = false;
            if (method.Single is { } single)
            {
                WriteSingleOperation(adapterName, method.Name, single);
            }
            else if (method.Batch is { Strategy: BatchStrategy.FanOut } fanOut)
            {
                WriteFanOutOperation(method.Name, fanOut);
            }
            else
            {
                WriteNativeBatchOperation(adapterName, method.Name, method.Batch!);
            }
        }
        _code.Close();
    }

    private void WriteSingleOperation(string adapterName, string method, OperationSpec single)
    {
        var type = OperationNames.Identifier(method);
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: one id, one provider call.</summary>");
        _code.Open($"public sealed class {type} : SingleIdOperation");
        WriteOperationHeader(type, null);
        WriteProvider(adapterName);
        WriteOperationInfo(method, BatchStrategy.Native, 1, 1, single.Response, $"new(\"id\", {Member(FieldLocation.Path)}, true)", null, single.Idempotent, numericIds: single.Request.NumericIds);
        WriteBuildRequest(single.Request);
        WriteStatusChecks(single.Request);
        WriteContactMapping(single.Response);
        _code.Close();
    }

    private void WriteNativeBatchOperation(string adapterName, string method, BatchSpec batch)
    {
        var type = OperationNames.Identifier(method);
        var maxIds = batch.MaxIds.ToString(CultureInfo.InvariantCulture);
        var concurrency = batch.Concurrency.ToString(CultureInfo.InvariantCulture);
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: its batch endpoint, {maxIds} ids per call, {concurrency} calls at a time.</summary>");
        _code.Open($"public sealed class {type} : BatchOperation");
        WriteOperationHeader(type, null);
        WriteProvider(adapterName);
        WriteOperationInfo(method, batch.Strategy, batch.MaxIds, batch.Concurrency, batch.Response, BatchRequestFields(batch), batch.IdSeparator, batch.Idempotent, numericIds: batch.Request!.NumericIds);
        WriteBuildRequest(batch.Request!);
        WriteStatusChecks(batch.Request!);
        WriteBatchItems(batch);
        if (batch.Request!.Parts is not null)
        {
            _code.Line();
            _code.Line("/// <inheritdoc />");
            _code.Line("public override bool AnswersInParts => true;");
        }
        WriteContactMapping(batch.Response);
        _code.Close();
    }

    private void WriteFanOutOperation(string method, BatchSpec batch)
    {
        var type = OperationNames.Identifier(method);
        var perId = OperationNames.Identifier(batch.FanOutTo!);
        // Each id goes through the single-id method: its response, and whether a repeat is safe, are the fan-out's.
        var perIdMethod = _provider.Methods.FirstOrDefault(m => m.Name == batch.FanOutTo)?.Single;
        var response = perIdMethod?.Response ?? [];
        _code.Line($"/// <summary><c>{CodeWriter.Xml(_provider.Resource)}.{CodeWriter.Xml(method)}</c> of {CodeWriter.Xml(_provider.DisplayName)}: each id through <see cref=\"{perId}\"/>, {batch.Concurrency.ToString(CultureInfo.InvariantCulture)} at a time.</summary>");
        _code.Open($"public sealed class {type} : FanOutOperation");
        WriteOperationHeader(type, $"{perId}.Instance");
        WriteOperationInfo(method, batch.Strategy, 1, batch.Concurrency, response, BatchRequestFields(batch), null, perIdMethod?.Idempotent ?? false, perIdMethod is null ? null : perId);
        _code.Close();
    }

    private void WriteOperationHeader(string type, string? baseArgument)
    {
        _code.Line("/// <summary>The one instance; operations hold no state.</summary>");
        _code.Line($"public static {type} Instance {{ get; }} = new();");
        _code.Line();
        if (baseArgument is null)
        {
            _code.Open($"private {type}()");
        }
        else
        {
            _code.Line($"private {type}()");
            _code.Line($"    : base({baseArgument})");
            _code.Open();
        }
        _code.Close();
    }

    private void WriteProvider(string adapterName)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line($"public override AdapterBase Provider => {adapterName}.Instance;");
    }
}
