using System.Globalization;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Cli.DryRun;
using Truto.Mappings.Client;
using Truto.Mappings.Interpreter.Adapters;

namespace Truto.Mappings.Cli.Commands;

/// <summary>What explain and map share: find the provider, read the account, run one method through a dry-run client.</summary>
internal static class OperationRun
{
    public const string Delete = "delete";
    public const string BatchDelete = "batch-delete";

    /// <summary>The provider's adapter, or its diagnostics written to <paramref name="error"/> (then null).</summary>
    public static async Task<InterpretedAdapter?> FindAsync(MappingsFolder folder, string provider, TextWriter error)
    {
        var (adapter, diagnostics) = folder.Find(provider);
        foreach (var diagnostic in diagnostics)
        {
            await error.WriteLineAsync(diagnostic.ToString());
        }
        return diagnostics.Any(d => d.IsError) ? null : adapter;
    }

    public static ProviderOperation Operation(InterpretedAdapter adapter, string method)
        => adapter.Operations.FirstOrDefault(o => Schema.OperationNames.Matches(o.Info.Method, method))
            ?? throw new CliException($"{adapter.Info.DisplayName} does not map {method}; it maps {string.Join(", ", adapter.Operations.Select(o => Schema.OperationNames.Slug(o.Info.Method)))}.");

    public static Task<UnifiedResult> RunAsync(DryRunClient dryRun, InterpretedAdapter adapter, AccountContext context, string method, IReadOnlyList<string> ids)
    {
        var account = new IntegratedAccount("00000000-0000-0000-0000-000000000000", adapter.Info.Name, context);
        return method == Delete
            ? dryRun.Client.DeleteAsync(account, ids[0])
            : dryRun.Client.BatchDeleteAsync(account, ids);
    }

    /// <summary>"native batch: up to 100 ids per call, 2 calls at a time", from the operation's own info (what the executors read).</summary>
    public static string Describe(ProviderOperation operation, int ids)
    {
        var info = operation.Info;
        var calls = operation is BatchOperation batch ? (ids + batch.IdsPerCall - 1) / batch.IdsPerCall : 1;
        var shape = operation switch
        {
            FanOutOperation fanOut => $"fan-out: one call per id through {fanOut.PerId.Info.Method}, {info.Concurrency} at a time",
            BatchOperation batchOperation => $"native batch: up to {batchOperation.IdsPerCall} ids per call, {info.Concurrency} calls at a time",
            _ => "one id, one provider call",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{shape}; {ids} id(s) -> {calls} call(s)");
    }
}
