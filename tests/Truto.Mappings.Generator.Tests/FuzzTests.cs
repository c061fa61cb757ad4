using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Truto.Mappings.Generator.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// Random mutations of the real mapping files through the real generator: every mutant must end
/// in TM diagnostics at positions inside the file, or in generated code that compiles without a
/// warning. An exception, a TM9999, a hang or code that does not compile fails, and CsCheck
/// prints the smallest failing mutant and the seed that reproduces it (set CsCheck_Seed to rerun it).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Tuned for the 2-core CI machine: about 20 ms a mutant there, most of it compiling the clean
    /// mutants' changed files (every one is compiled, no sampling), so about a minute under load.
    /// </summary>
    private const int MutantCount = 2_500;

    private static readonly TimeSpan PerMutantTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Every_mutant_of_the_real_files_ends_in_diagnostics_or_in_code_that_compiles()
    {
        var runner = new MutantRunner();
        var outcomes = new int[Enum.GetValues<MutantOutcome>().Length];
        var clock = Stopwatch.StartNew();

        Mutants.Of(runner.Files.Count).Sample(
            mutant => Interlocked.Increment(ref outcomes[(int)runner.Run(mutant, PerMutantTimeout)]),
            iter: MutantCount,
            print: mutant => Path.GetFileName(runner.Files[mutant.File].Path) + ", " + mutant);

        var total = outcomes.Sum();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} mutants in {clock.Elapsed.TotalSeconds:0.0} s: {outcomes[(int)MutantOutcome.Diagnostics]} with TM diagnostics, "
            + $"{outcomes[(int)MutantOutcome.CleanCompiled]} clean with changed output that compiled without warnings, "
            + $"{outcomes[(int)MutantOutcome.CleanUnchanged]} clean with output identical to the real files'"));
        Assert.Equal(MutantCount, total);
        // The mutations must reach both ends: refused files and accepted ones that change the code.
        Assert.True(outcomes[(int)MutantOutcome.Diagnostics] > MutantCount / 10, "too few mutants were refused");
        Assert.True(outcomes[(int)MutantOutcome.CleanCompiled] > MutantCount / 50, "too few mutants changed the generated code");
    }
}
