using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Xunit.Sdk;

namespace Truto.Mappings.Generator.Tests.Fuzzing;

/// <summary>How a mutant ended; anything else (an exception, TM9999, a hang, code that does not compile) fails.</summary>
public enum MutantOutcome
{
    /// <summary>TM diagnostics, at positions inside the file.</summary>
    Diagnostics,

    /// <summary>No diagnostic, and the generated code is the same as for the real files (already compiled once).</summary>
    CleanUnchanged,

    /// <summary>No diagnostic, and the changed generated files compile without a warning.</summary>
    CleanCompiled,
}

/// <summary>
/// Runs the real generator over the real mapping files with one file replaced by a mutant, on a
/// driver that has already run over the originals, so only the mutant is parsed again. Clean
/// output is compiled strictly, but only the generated files the mutant changed: each one's
/// semantic diagnostics plus the compilation's declaration diagnostics (clashes between files).
/// </summary>
internal sealed class MutantRunner
{
    private readonly GeneratorDriver _driver;
    private readonly CSharpCompilation _empty = GeneratorHarness.StrictCompilation();
    private readonly CSharpCompilation _compiled;
    private readonly Dictionary<string, SyntaxTree> _baseTrees;

    public MutantRunner()
    {
        Files = GeneratorHarness.RealFiles();
        _driver = GeneratorHarness.CreateDriver(Files, GeneratorHarness.StrictParseOptions).RunGenerators(_empty);
        var result = _driver.GetRunResult().Results[0];
        Assert.Empty(result.Diagnostics);
        _baseTrees = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SyntaxTree, StringComparer.Ordinal);
        _compiled = _empty.AddSyntaxTrees(_baseTrees.Values);
        var problems = _compiled.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "the real files' output must compile cleanly: " + string.Join("\n", problems.Take(10)));
    }

    public IReadOnlyList<YamlFile> Files { get; }

    public MutantOutcome Run(Mutant mutant, TimeSpan timeout)
    {
        var original = Files[mutant.File];
        var text = mutant.Mutations.Aggregate(original.Text, (current, mutation) => mutation.Apply(current));
        var mutated = new YamlFile(original.Path, text);
        using var cancellation = new CancellationTokenSource();
        var run = Task.Run(() => _driver.ReplaceAdditionalText(original, mutated).RunGenerators(_empty, cancellation.Token).GetRunResult(), cancellation.Token);
        if (!run.Wait(timeout))
        {
            cancellation.Cancel();
            throw new XunitException($"The generator did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s on {mutant}");
        }
        var result = run.Result.Results[0];
        if (result.Exception is not null)
        {
            throw new XunitException($"The generator threw {result.Exception}");
        }
        var diagnostics = run.Result.Diagnostics;
        foreach (var diagnostic in diagnostics)
        {
            CheckDiagnostic(diagnostic, mutated);
        }
        if (diagnostics.Length > 0)
        {
            return MutantOutcome.Diagnostics;
        }
        return Compile(result.GeneratedSources) ? MutantOutcome.CleanCompiled : MutantOutcome.CleanUnchanged;
    }

    private static void CheckDiagnostic(Diagnostic diagnostic, YamlFile mutated)
    {
        if (!diagnostic.Id.StartsWith("TM", StringComparison.Ordinal) || diagnostic.Id == "TM9999")
        {
            throw new XunitException($"Expected only TM diagnostics of the catalogue, got {diagnostic}");
        }
        var span = diagnostic.Location.GetLineSpan();
        var length = span.Path == mutated.Path ? mutated.Text.Length : int.MaxValue;
        if (diagnostic.Location.SourceSpan.End > length || span.StartLinePosition.Line < 0)
        {
            throw new XunitException($"{diagnostic.Id} is located past the end of the file ({length} characters): {diagnostic}");
        }
    }

    /// <summary>Compiles the generated files that differ from the originals' output; false when none does.</summary>
    private bool Compile(IEnumerable<GeneratedSourceResult> sources)
    {
        var compilation = _compiled;
        var changed = new List<SyntaxTree>();
        var hints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            hints.Add(source.HintName);
            if (!_baseTrees.TryGetValue(source.HintName, out var before))
            {
                compilation = compilation.AddSyntaxTrees(source.SyntaxTree);
                changed.Add(source.SyntaxTree);
            }
            else if (!before.GetText().ContentEquals(source.SyntaxTree.GetText()))
            {
                compilation = compilation.ReplaceSyntaxTree(before, source.SyntaxTree);
                changed.Add(source.SyntaxTree);
            }
        }
        var removed = _baseTrees.Where(t => !hints.Contains(t.Key)).Select(t => t.Value).ToList();
        compilation = compilation.RemoveSyntaxTrees(removed);
        if (changed.Count == 0 && removed.Count == 0)
        {
            return false;
        }
        var problems = compilation.GetDeclarationDiagnostics()
            .Concat(changed.SelectMany(tree => compilation.GetSemanticModel(tree).GetDiagnostics()))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Distinct()
            .ToList();
        if (problems.Count > 0)
        {
            var tree = problems[0].Location.SourceTree;
            var line = problems[0].Location.GetLineSpan().StartLinePosition.Line;
            var context = tree?.GetText().Lines.Skip(Math.Max(0, line - 2)).Take(5).Select(l => l.ToString());
            throw new XunitException("A mutant without diagnostics produced code that does not compile cleanly:\n"
                + string.Join("\n", problems.Take(5)) + "\n--- " + tree?.FilePath + "\n" + string.Join("\n", context ?? []));
        }
        return true;
    }
}
