using System.Collections.Generic;
using System.Globalization;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// The unified field names an adapter writes, each encoded once into a static
/// <c>JsonEncodedText</c> (as System.Text.Json's generator caches property names) instead of being
/// transcoded and escaped on every write. Named after the field: <c>first_name</c> is
/// <c>UnifiedFieldNames.FirstName</c>.
/// </summary>
internal sealed class FieldNameTable
{
    public const string ClassName = "UnifiedFieldNames";

    private readonly Dictionary<string, string> _members = new(System.StringComparer.Ordinal);
    private readonly List<(string Member, string Field)> _order = [];
    private readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);

    /// <summary>The C# expression for the encoded <paramref name="field"/>.</summary>
    public string Of(string field)
    {
        if (!_members.TryGetValue(field, out var member))
        {
            var candidate = GeneratedText.Identifier(field);
            member = candidate;
            for (var n = 2; !_taken.Add(member); n++)
            {
                member = candidate + "_" + n.ToString(CultureInfo.InvariantCulture);
            }
            _members.Add(field, member);
            _order.Add((member, field));
        }
        return ClassName + "." + member;
    }

    /// <summary>Writes the table, in first-use order; nothing when no name was used.</summary>
    public void Write(CodeWriter code)
    {
        if (_order.Count == 0)
        {
            return;
        }
        code.Line();
        code.Line("/// <summary>The unified field names this adapter writes, encoded once.</summary>");
        code.Open($"private static class {ClassName}");
        foreach (var (member, field) in _order)
        {
            code.Line($"public static readonly JsonEncodedText {member} = ContactWriter.EncodeName({CodeWriter.Literal(field)});");
        }
        code.Close();
    }
}
