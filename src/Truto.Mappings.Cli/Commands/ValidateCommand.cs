using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Truto.Mappings.Interpreter.Loading;

namespace Truto.Mappings.Cli.Commands;

/// <summary>
/// <c>validate [files…]</c>: every diagnostic the build would report for the provider files (default:
/// all of the mappings folder), by the generator's own parser and checks, in MSBuild's form.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(Option<DirectoryInfo> folder, TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("files") { Description = "Provider files to check (default: every provider under the mappings folder)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("validate", "Report every diagnostic the build would, same codes and positions, without compiling; exit code 1 on errors") { files };
        command.SetAction(async parse =>
        {
            var started = Stopwatch.GetTimestamp();
            var mappings = new MappingsFolder(parse.GetValue(folder)!);
            var given = parse.GetValue(files) ?? [];
            foreach (var file in given.Where(f => !File.Exists(f)))
            {
                throw new CliException($"'{file}' does not exist.");
            }
            var providers = given.Length > 0 ? given : mappings.ProviderFiles();
            var load = MappingFiles.Load(mappings.SchemaPath, providers);
            foreach (var diagnostic in load.Diagnostics)
            {
                await output.WriteLineAsync(diagnostic.ToString());
            }
            var errors = load.Diagnostics.Count(d => d.IsError);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{providers.Count} provider file(s) checked: {errors} error(s), {load.Diagnostics.Count - errors} warning(s) in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms."));
            return load.HasErrors ? CliApp.YamlErrors : CliApp.Ok;
        });
        return command;
    }
}
