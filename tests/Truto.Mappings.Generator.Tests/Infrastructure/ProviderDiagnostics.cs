using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Truto.Mappings.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the generator over one provider file (with the shipped schema) and checks where its
/// diagnostics land: the helpers the diagnostic test classes share.
/// </summary>
internal static class ProviderDiagnostics
{
    /// <summary>The generator's diagnostics for the provider file at <paramref name="path"/>; the generator itself must not throw.</summary>
    public static ImmutableArray<Diagnostic> Run(string path, string text)
    {
        var result = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(path, text)]);
        Assert.Null(result.Results[0].Exception);
        return result.Diagnostics;
    }

    /// <summary>The one diagnostic the provider file gets; fails listing them all when there is not exactly one.</summary>
    public static Diagnostic Single(string path, string text)
    {
        var diagnostics = Run(path, text);
        Assert.True(diagnostics.Length == 1, string.Join("\n", diagnostics));
        return diagnostics[0];
    }

    /// <summary>The 1-based line and column where <paramref name="text"/> first has <paramref name="at"/>, searching from 0-based line <paramref name="fromLine"/>.</summary>
    public static (int Line, int Column) Position(string text, string at, int fromLine)
    {
        var lines = text.Split('\n');
        for (var i = fromLine; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(at, StringComparison.Ordinal);
            if (column >= 0)
            {
                return (i + 1, column + 1);
            }
        }
        throw new InvalidOperationException($"'{at}' is not in the file");
    }

    /// <summary>Asserts the diagnostic's id, message, file and 1-based start.</summary>
    public static void AssertAt(Diagnostic diagnostic, string path, string id, (int Line, int Column) at, string message)
    {
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(path, span.Path);
        Assert.Equal(at, (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }
}
