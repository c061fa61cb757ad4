using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>A provider as the scanner looks for it: its integration name and display name.</summary>
internal sealed record ScannedProvider(string Name, string DisplayName);

/// <summary>A provider name found in C# code: where, which provider, and the token.</summary>
internal sealed record ProviderNameHit(string File, int Line, string Provider, string Token)
{
    public override string ToString() => $"{File}({Line}): '{Token}' names {Provider}";
}

/// <summary>
/// Finds provider names in C# <em>code</em>: string literals (the way a special case compares an
/// integration name) and identifiers (a type or member made for one provider). Comments are not
/// code: naming the provider whose API motivated a general feature is the most useful "why" a
/// comment can give, and it changes no behaviour.
/// <para>
/// Matching is by whole words, case-insensitive, on the integration name (<c>zendesk_sell</c>:
/// the words zendesk, sell) and the display name (<c>HubSpot</c>). Identifiers are split at case
/// changes and underscores, and the name may span several of their words (<c>HubSpot</c>,
/// <c>HubspotAdapter</c>, <c>isZendeskSell</c>). A name the .NET base library itself uses as an
/// identifier word (<c>Stream.Close</c>, <c>DayOfWeek.Monday</c>) is an ordinary word: it counts
/// only in a string literal that is nothing but the name (<c>"close"</c>) and in type names that
/// start with it (<c>CloseAdapter</c>, <c>class MondayQuirks</c>), so <c>stream.Close()</c> and
/// <c>"Connection: close"</c> do not.
/// </para>
/// </summary>
internal sealed partial class ProviderNameScanner
{
    private static readonly Lazy<HashSet<string>> FrameworkWords = new(ReadFrameworkWords);

    private readonly List<Form> _forms;

    public ProviderNameScanner(IEnumerable<ScannedProvider> providers)
    {
        _forms = providers.SelectMany(p => new[] { p.Name, p.DisplayName }.Select(text => new Form(p.Name, Words(text))))
            .Where(f => f.Words.Length > 0)
            .DistinctBy(f => (f.Provider, string.Join(' ', f.Words)))
            .ToList();
    }

    /// <summary>Every provider name in <paramref name="source"/>'s code (not its comments).</summary>
    public IEnumerable<ProviderNameHit> Scan(string file, string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        foreach (var token in root.DescendantTokens())
        {
            var line = token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            if (IsText(token))
            {
                var words = Words(token.ValueText.Length > 0 ? token.ValueText : token.Text);
                foreach (var form in _forms.Where(f => InLiteral(f, words)))
                {
                    yield return new ProviderNameHit(file, line, form.Provider, token.Text);
                }
            }
            else if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                var words = IdentifierWords(token.ValueText);
                foreach (var form in _forms.Where(f => InIdentifier(f, words, token)))
                {
                    yield return new ProviderNameHit(file, line, form.Provider, token.Text);
                }
            }
        }
    }

    /// <summary>
    /// The distinct providers whose names are words of <paramref name="source"/>'s string literals,
    /// ordinary words included (<c>"close:api_key"</c>): to find a list of every provider, where a
    /// stray English word among eleven names does no harm.
    /// </summary>
    public IReadOnlySet<string> ProvidersInLiterals(string source)
        => CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(IsText)
            .SelectMany(t => _forms.Where(f => ContainsRun(Words(t.ValueText.Length > 0 ? t.ValueText : t.Text), f.Words)).Select(f => f.Provider))
            .ToHashSet(StringComparer.Ordinal);

    private static bool IsText(SyntaxToken token)
        => token.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.Utf8StringLiteralToken or SyntaxKind.InterpolatedStringTextToken
            or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
            or SyntaxKind.Utf8SingleLineRawStringLiteralToken or SyntaxKind.Utf8MultiLineRawStringLiteralToken;

    private static bool InLiteral(Form form, string[] words)
        => form.IsOrdinaryWord ? words.SequenceEqual(form.Words, StringComparer.OrdinalIgnoreCase) : ContainsRun(words, form.Words);

    private static bool InIdentifier(Form form, string[] words, SyntaxToken token)
    {
        var compact = string.Concat(form.Words);
        if (!form.IsOrdinaryWord)
        {
            return Enumerable.Range(0, words.Length).Any(start => RunFrom(words, start, compact) is not null);
        }
        // An ordinary word names a provider only as the start of a type's name.
        return RunFrom(words, 0, compact) is { } end && end < words.Length && IsTypeName(token);
    }

    /// <summary>The index after the words from <paramref name="start"/> whose concatenation is <paramref name="compact"/>, or null.</summary>
    private static int? RunFrom(string[] words, int start, string compact)
    {
        var joined = "";
        for (var i = start; i < words.Length && joined.Length < compact.Length; i++)
        {
            joined += words[i];
            if (string.Equals(joined, compact, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }
        return null;
    }

    private static bool ContainsRun(string[] words, string[] run)
        => Enumerable.Range(0, Math.Max(0, words.Length - run.Length + 1))
            .Any(i => words.AsSpan(i, run.Length).SequenceEqual(run, StringComparer.OrdinalIgnoreCase));

    /// <summary>The token names a type: it declares one, or is referenced with a type's naming convention (<c>…Adapter</c>, <c>…Simulator</c>, <c>new X(</c>, <c>typeof(X)</c>).</summary>
    private static bool IsTypeName(SyntaxToken token)
        => token.Parent is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
            || token.ValueText.EndsWith("Adapter", StringComparison.Ordinal)
            || token.ValueText.EndsWith("Simulator", StringComparison.Ordinal)
            || token.Parent?.Parent is ObjectCreationExpressionSyntax or TypeOfExpressionSyntax or BaseTypeSyntax;

    private static string[] Words(string text) => WordPattern().Matches(text).Select(m => m.Value).ToArray();

    private static string[] IdentifierWords(string identifier) => IdentifierWordPattern().Matches(identifier).Select(m => m.Value).ToArray();

    private static HashSet<string> ReadFrameworkWords()
    {
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in typeof(object).Assembly.GetExportedTypes())
        {
            words.UnionWith(IdentifierWords(type.Name));
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                words.UnionWith(IdentifierWords(member.Name));
            }
        }
        return words;
    }

    [GeneratedRegex("[\\p{L}\\p{N}]+")]
    private static partial Regex WordPattern();

    /// <summary>Words of an identifier: <c>HubspotAdapter</c> → Hubspot, Adapter; <c>HTTPClient</c> → HTTP, Client; <c>zendesk_sell</c> → zendesk, sell.</summary>
    [GeneratedRegex("\\p{Lu}+(?=\\p{Lu}\\p{Ll})|\\p{Lu}?\\p{Ll}+|\\p{Lu}+|\\p{N}+")]
    private static partial Regex IdentifierWordPattern();

    private sealed record Form(string Provider, string[] Words)
    {
        /// <summary>A one-word name the base library uses as an identifier word (Close, Monday).</summary>
        public bool IsOrdinaryWord { get; } = Words.Length == 1 && FrameworkWords.Value.Contains(Words[0]);
    }
}
