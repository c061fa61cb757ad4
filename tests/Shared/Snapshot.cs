using System.Runtime.CompilerServices;

namespace Truto.Mappings.Testing;

/// <summary>
/// Golden files without Verify: <c>{name}.verified.{ext}</c> is committed next to the fixture; a
/// mismatch writes <c>{name}.received.{ext}</c> and fails. <c>TRUTO_ACCEPT_SNAPSHOTS=1</c> accepts,
/// but never under <c>CI=true</c>, where a missing or different snapshot always fails.
/// </summary>
internal static class Snapshot
{
    public static void Match(string directory, string name, string extension, string actual, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        actual = actual.ReplaceLineEndings("\n");
        var verified = Path.Combine(directory, $"{name}.verified.{extension}");
        var received = Path.Combine(directory, $"{name}.received.{extension}");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        if (Accepting(environment))
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}; review {received} and accept it with TRUTO_ACCEPT_SNAPSHOTS=1 (never under CI)."
            : $"{verified} differs from the output ({FirstDifference(expected, actual)}); see {received}.");
    }

    /// <summary>
    /// <see cref="Match"/> for a generated part of a committed document (the README's provider
    /// table): the text between the line <paramref name="begin"/> and the line <paramref name="end"/>
    /// of <paramref name="file"/> must be <paramref name="actual"/>. Accepting rewrites that part
    /// only; a difference otherwise fails naming the first differing line.
    /// </summary>
    public static void MatchRegion(string file, string begin, string end, string actual, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        actual = actual.ReplaceLineEndings("\n");
        var text = File.ReadAllText(file).ReplaceLineEndings("\n");
        var start = text.IndexOf(begin + "\n", StringComparison.Ordinal);
        var stop = start < 0 ? -1 : text.IndexOf("\n" + end + "\n", start, StringComparison.Ordinal);
        if (stop < 0)
        {
            Assert.Fail($"{file} has no line '{begin}' followed by a line '{end}' to hold the generated part.");
        }
        var from = start + begin.Length + 1;
        var expected = text[from..(stop + 1)];
        if (expected == actual)
        {
            return;
        }
        if (Accepting(environment))
        {
            File.WriteAllText(file, text[..from] + actual + text[(stop + 1)..]);
            return;
        }
        Assert.Fail($"{file}: the generated part after '{begin}' differs ({FirstDifference(expected, actual)}); "
            + "rewrite it with tests/refresh-snapshots.sh (or TRUTO_ACCEPT_SNAPSHOTS=1; never under CI).");
    }

    private static bool Accepting(Func<string, string?> environment)
        => !string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase) && environment("TRUTO_ACCEPT_SNAPSHOTS") == "1";

    /// <summary>The folder of the calling source file (snapshots live beside the tests, not in bin/).</summary>
    public static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: expected `{left}`, got `{right}`";
            }
        }
        return "same lines, different endings";
    }
}
