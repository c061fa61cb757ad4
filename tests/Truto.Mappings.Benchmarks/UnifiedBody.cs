using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Execution;
using Truto.Mappings.Formats;
using Truto.Mappings.Http;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// The mapping from provider bytes to unified bytes as the runtime does it — the production parse
/// (<see cref="OutcomeInterpreter"/>, as the single-call and batch executors call it) and the production contact writer
/// (<see cref="ResponseWriter.WriteContact"/>) — written into a buffer the caller reuses, so what is
/// measured is the mapping and not the growth of a fresh output buffer.
/// </summary>
internal static class UnifiedBody
{
    /// <summary>One id's answer: the unified object, <c>remote_data</c> included.</summary>
    public static void WriteSingle(Utf8JsonWriter json, ProviderOperation operation, ReadOnlyMemory<byte> body, int status, string id, UnifiedRequestOptions options, FieldSelection selection)
    {
        // As SingleCallExecutor: a success is read from a pooled document, disposed once written.
        var outcome = OutcomeInterpreter.Single(operation, new ProviderAnswer(status, body), id, OutcomeInterpreter.DefaultMaxRawBytes, out var document);
        using (document)
        {
            json.WriteStartObject();
            ResponseWriter.WriteContact(operation, new ContactWriter(json, selection), options, outcome);
            json.WriteEndObject();
            json.Flush();
        }
    }

    /// <summary>A native batch answer: <c>{"result": [...]}</c> of the ids it deleted (failures are not mapping, left out).</summary>
    public static void WriteBatch(Utf8JsonWriter json, BatchOperation operation, ReadOnlyMemory<byte> body, int status, IReadOnlyList<string> ids, UnifiedRequestOptions options, FieldSelection selection)
    {
        var outcomes = OutcomeInterpreter.Batch(operation, new ProviderAnswer(status, body), ids);
        json.WriteStartObject();
        json.WriteStartArray("result"u8);
        var writer = new ContactWriter(json, selection);
        foreach (var outcome in outcomes)
        {
            if (outcome.Succeeded)
            {
                json.WriteStartObject();
                ResponseWriter.WriteContact(operation, writer, options, outcome);
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }
}
