using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using Truto.Mappings.Cli.DryRun;

namespace Truto.Mappings.Cli.Commands;

/// <summary>
/// <c>map &lt;provider&gt; &lt;delete|batch-delete&gt; &lt;answer.json&gt;</c>: the unified response a recorded
/// provider answer becomes, through the runtime's outcome interpreter and result writer (every
/// provider call of the run gets that answer).
/// </summary>
internal static class MapCommand
{
    public static Command Create(Option<DirectoryInfo> folder, TextWriter output, TextWriter error)
    {
        var provider = new Argument<string>("provider") { Description = "The integration name (the provider file's name:) or a provider file" };
        var method = new Argument<string>("method") { Description = "delete or batch-delete" };
        method.AcceptOnlyFromAmong(OperationRun.Delete, OperationRun.BatchDelete);
        var answer = new Argument<FileInfo>("answer") { Description = "The provider's answer body (a file; sent as is)" };
        var status = new Option<int>("--status") { Description = "The provider's HTTP status", DefaultValueFactory = _ => 200 };
        var contentType = new Option<string>("--content-type") { Description = "The answer's content type", DefaultValueFactory = _ => "application/json" };
        var ids = new Option<string[]>("--ids") { Description = "The ids asked for (default: 1)", AllowMultipleArgumentsPerToken = true };
        var account = new Option<FileInfo?>("--account") { Description = "The account's context as JSON (default: stand-in values for the keys the provider reads)" };
        var command = new Command("map", "Show the unified response a recorded provider answer becomes") { provider, method, answer, status, contentType, ids, account };
        command.SetAction(async parse =>
        {
            var mappings = new MappingsFolder(parse.GetValue(folder)!);
            if (await OperationRun.FindAsync(mappings, parse.GetValue(provider)!, error) is not { } adapter)
            {
                return CliApp.YamlErrors;
            }
            var name = parse.GetValue(method)!;
            _ = OperationRun.Operation(adapter, name);
            var file = parse.GetValue(answer)!;
            if (!file.Exists)
            {
                throw new CliException($"The answer file '{file.FullName}' does not exist.");
            }
            var requested = parse.GetValue(ids) is { Length: > 0 } given ? given : ["1"];
            var canned = new CannedAnswer((HttpStatusCode)parse.GetValue(status), parse.GetValue(contentType)!, await File.ReadAllBytesAsync(file.FullName));
            await using var dryRun = new DryRunClient(adapter, canned);
            await using var result = await OperationRun.RunAsync(dryRun, adapter, AccountFile.Read(parse.GetValue(account), adapter), name, requested);

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"HTTP {result.StatusCode} {result.ContentType}"));
            foreach (var (header, value) in result.Headers)
            {
                await output.WriteLineAsync($"{header}: {value}");
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync(Encoding.UTF8.GetString(result.Body.Span));
            return CliApp.Ok;
        });
        return command;
    }
}
