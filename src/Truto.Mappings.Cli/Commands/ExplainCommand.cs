using System.CommandLine;
using System.Text;
using Truto.Mappings.Cli.DryRun;

namespace Truto.Mappings.Cli.Commands;

/// <summary>
/// <c>explain &lt;provider&gt; delete &lt;id&gt;</c> / <c>batch-delete &lt;ids…&gt;</c>: the provider requests
/// the runtime would send for an account, secrets masked, with the chunking and concurrency — built
/// by the runtime itself and caught before the network.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(Option<DirectoryInfo> folder, TextWriter output, TextWriter error)
    {
        var provider = new Argument<string>("provider") { Description = "The integration name (the provider file's name:) or a provider file" };
        var account = new Option<FileInfo?>("--account") { Description = "The account's context as JSON (default: stand-in values for the keys the provider reads)" };
        var explain = new Command("explain", "Show the HTTP requests a unified call would send, secrets masked, without sending them");

        var id = new Argument<string>("id") { Description = "The contact id" };
        var delete = new Command(OperationRun.Delete, "One delete") { id };
        delete.SetAction(parse => RunAsync(parse.GetValue(folder)!, parse.GetValue(provider)!, parse.GetValue(account), OperationRun.Delete, [parse.GetValue(id)!], output, error));

        var ids = new Argument<string[]>("ids") { Description = "The contact ids", Arity = ArgumentArity.OneOrMore };
        var batch = new Command(OperationRun.BatchDelete, "A batch delete") { ids };
        batch.SetAction(parse => RunAsync(parse.GetValue(folder)!, parse.GetValue(provider)!, parse.GetValue(account), OperationRun.BatchDelete, parse.GetValue(ids)!, output, error));

        explain.Add(provider);
        explain.Add(account);
        explain.Add(delete);
        explain.Add(batch);
        return explain;
    }

    private static async Task<int> RunAsync(DirectoryInfo folder, string provider, FileInfo? accountFile, string method, string[] ids, TextWriter output, TextWriter error)
    {
        if (await OperationRun.FindAsync(new MappingsFolder(folder), provider, error) is not { } adapter)
        {
            return CliApp.YamlErrors;
        }
        var operation = OperationRun.Operation(adapter, method);
        var context = AccountFile.Read(accountFile, adapter);
        await using var dryRun = new DryRunClient(adapter, CannedAnswer.NoContent);
        await using var result = await OperationRun.RunAsync(dryRun, adapter, context, method, ids);

        await output.WriteLineAsync($"{adapter.Info.DisplayName} ({adapter.Info.Name}) {operation.Info.Resource}.{operation.Info.Method}, interpreted from {Path.GetFileName(adapter.FilePath)}");
        await output.WriteLineAsync(OperationRun.Describe(operation, ids.Length));
        if (adapter.Info.Rates.Count > 0)
        {
            // The windows the runtime paces these calls by; a dry run sends nothing, so it never waits.
            await output.WriteLineAsync("paced to " + string.Join("; ", adapter.Info.Rates));
        }
        var sent = dryRun.Handler.Sent;
        if (sent.Count == 0)
        {
            // Refused before any call (an id the pattern refuses, a missing context key, a host not declared): the runtime's own answer says why.
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Nothing would be sent: the runtime answers {result.StatusCode}.");
            await output.WriteLineAsync(Encoding.UTF8.GetString(result.Body.Span));
            return CliApp.YamlErrors;
        }
        var printer = new RequestPrinter(adapter, context);
        // Calls in flight together arrive in any order; printed in URL and body order, so the output is stable.
        foreach (var request in sent.OrderBy(r => r.Url.AbsoluteUri, StringComparer.Ordinal).ThenBy(r => r.Body is null ? "" : Encoding.UTF8.GetString(r.Body), StringComparer.Ordinal))
        {
            await output.WriteLineAsync();
            await printer.WriteAsync(output, request);
        }
        return CliApp.Ok;
    }
}
