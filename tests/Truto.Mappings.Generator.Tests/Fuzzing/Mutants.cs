using CsCheck;

namespace Truto.Mappings.Generator.Tests.Fuzzing;

/// <summary>A real mapping file (by index into the real files) and the edits made to it.</summary>
public sealed record Mutant(int File, Mutation[] Mutations)
{
    public override string ToString() => $"file #{File}: {string.Join("; ", Mutations.Select(m => m.ToString()))}";
}

/// <summary>
/// CsCheck generators of mutants: the mistakes the fuzz run found (deep nesting, aliases, huge
/// lists, long paths, unicode line terminators, surrogates, names that are C# keywords or clash)
/// mixed with plain line edits.
/// </summary>
public static class Mutants
{
    /// <summary>Characters that have broken parsers or emitters before, and a few ordinary ones.</summary>
    private static readonly char[] Characters =
    [
        '\u2028', '\u2029', '\u0085', '\r', '\n', '\t', '\0', '\u0001', '\u007f', '\uD800', '\uDC00', '\uFEFF', '\uFFFE',
        '"', '\'', '\\', '[', ']', '{', '}', '*', '&', '<', '>', '#', ':', '-', '|', '!', '%', '@', '$', '?', ',', '`', ' ',
        'a', 'Z', '0', '9', '_', '.', 'é', 'ß', '日',
    ];

    /// <summary>Values (plain, quoted, flow) that hit escaping, JSON literals, templates, paths and YAML features.</summary>
    private static readonly string[] Values =
    [
        "\"A\\LB\"", "\"A\\u2028B\"", "\"A\\NB\"", "\"A\\PB\"", "'x\u2028y'", "\"\\uDE00\\uD800\"", "\"\\uD800\"", "\"\\0\\a\\x7f\"",
        "\"*/ <b> & \\\" \\\\ </summary>\"", "\"\\\"); System.Environment.Exit(1); //\"", "\"}\\n}\\nclass X {\"",
        "NaN", "Infinity", "-Infinity", "+1", ".5", "5.", "01", "-0", "1e5", "1.5", "0x10", "1_000", "12345678901234567890123",
        "true", "false", "null", "~", "", "[]", "{}", "[1, [2, {a: b}]]", "{a: {b: {c: d}}}",
        "\"{{id}}\"", "\"{{ids}}\"", "\"{{ids | join(',')}}\"", "\"{{context.a.b}}\"", "\"{{context.}}\"", "\"{{nope}}\"", "\"{{id\"",
        "$", "@", "$.a[?@.b == 'x']", "$.a[?@.b == $.c]", "$.a[*].b", "$.a.*", "$['a\\'b']", "$[-1]", "$[99999999999]", "$.a[?@.b[?@.c]]",
        "&a [1, *a]", "&a { first_of: [*a] }", "*a", "&anchor value", "!!str 5", "!!binary AAAA", "!custom x",
        "|\n  block text\n  more", ">-\n  folded", "\"unterminated", "'also unterminated", "{ unclosed: [",
        "GeneratedProviders", "ContactsSchema", "ContactJsonConverter", "Con.tact", "class", "contact", "record", "Contact2", "lower",
        "DELETE", "POST", "native", "fan_out", "position", "id", "bearer", "basic", "headers", "seconds",
        "[trim, trim, trim, trim, trim, trim, trim, trim, trim, trim]", "join(\"\\u2028\")", "join('*/')",
        "{ first_of: [{ first_of: [{ first_of: [{ first_of: [{ first_of: [{ first_of: [{ first_of: [{ first_of: [{ first_of: [$.a] }] }] }] }] }] }] }] }] }",
        "(?<limit>\\d+)", "(?<unclosed", "0", "-1", "599", "600", "10001", "2147483648",
        "dns_label", "https_origin", "path_segment", "dns", "{one_of: [eu, us]}", "{one_of: []}", "{one_of: [\"x#\", eu]}", "number", "boolean",
        "\"*.example.com\"", "[api.example.com, \"*.example.com\"]", "[\"*.com\"]", "https://api.example.com", "127.0.0.1", "[]",
        "'[0-9'", "'a)|(b'", "'(?x)[0-9]+#'", "'\\A'", "'(a+)+$'", "\"{{context.base_url}}\"", "\"{{context.api_kye}}\"",
        "\"{{ids | join('')}}\"", "\"{{ids | join(';')}}\"",
    ];

    /// <summary>Text added inside a double-quoted value: YAML escapes of line terminators, and what ends comments, strings and XML.</summary>
    private static readonly string[] Escapes =
    [
        "\\L", "\\N", "\\P", "\\u2028", "\\u2029", "\\x85", "\\r\\n", "\\n", "\\r", "\\t", "\\0", "\\a", "\\x01", "\\x7f", "\\uFFFE", "\\uFEFF",
        "\\U0001F600", "\\\"", "\\\\", "*/", "/*", "//", "<summary>", "</summary>", "&amp;", "&", "<", ">", "{", "}", "\\\"); //", " \\L}\\Lclass X {", "é", "日本",
    ];

    /// <summary>Keys: the format's own, C# keywords, names the generator declares, names that clash once converted.</summary>
    private static readonly string[] Keys =
    [
        "class", "from_json", "write_to", "to_string", "equality_contract", "contact", "emailAddresses", "email_addresses",
        "Con.tact", "street1", "street_1", "json_converter", "type_name", "GeneratedProviders", "\"a\u2028b\"", "'x\\y'",
        "type", "name", "id", "$each_id", "first_of", "path", "value", "transform", "response", "body", "fields", "properties",
        "object", "array", "each", "items", "errors", "rate_limit_codes", "gone_codes", "status_by_code", "success", "query",
        "display_name", "base_url", "resource", "unified_model", "description", "required", "delete", "batch_delete", "?", "- a",
        "hosts", "context", "id_pattern", "idempotent", "label", "help", "secret", "shape", "one_of", "api_key", "oauth.token",
        "oauth.token.access_token.x", "region", "instance_url",
    ];

    public static Gen<Mutant> Of(int files)
        => Gen.Select(Gen.Int[0, files - 1], AnyMutation.Array[1, 3], (file, mutations) => new Mutant(file, mutations));

    private static readonly Gen<int> AnyLine = Gen.Int[0, 4000];

    private static readonly Gen<string> InsertedText = Gen.Frequency(
        (3, Gen.OneOf(Characters).Select(c => c.ToString())),
        (2, Gen.OneOf(Characters).Array[2, 6].Select(cs => new string(cs))),
        (1, Gen.OneOf(Values)));

    private static readonly Gen<Mutation> AnyMutation = Gen.Frequency(
        (3, Gen.Select(AnyLine, line => new Mutation(MutationKind.DeleteLine, line, 0, ""))),
        (2, Gen.Select(AnyLine, line => new Mutation(MutationKind.DuplicateLine, line, 0, ""))),
        (2, Gen.Select(AnyLine, AnyLine, (line, other) => new Mutation(MutationKind.SwapLines, line, other, ""))),
        (5, Gen.Select(AnyLine, Gen.Int[0, 200], InsertedText, (line, column, text) => new Mutation(MutationKind.InsertText, line, column, text))),
        (6, Gen.Select(AnyLine, Gen.OneOf(Values), (line, value) => new Mutation(MutationKind.ReplaceValue, line, 0, value))),
        (8, Gen.Select(AnyLine, Gen.OneOf(Escapes).Array[1, 3], (line, escapes) => new Mutation(MutationKind.AppendToValue, line, 0, string.Concat(escapes)))),
        (4, Gen.Select(AnyLine, Gen.OneOf(Keys), (line, key) => new Mutation(MutationKind.ReplaceKey, line, 0, key))),
        (1, Gen.Select(AnyLine, Gen.Int[1, 120], (line, depth) => new Mutation(MutationKind.DeepNesting, line, depth, ""))),
        (1, Gen.Select(AnyLine, Gen.Int[1, 700], Gen.OneOf("", "1", "A"), (line, count, item) => new Mutation(MutationKind.HugeList, line, count, item))),
        (1, Gen.Select(AnyLine, Gen.Int[1, 700], (line, steps) => new Mutation(MutationKind.LongPath, line, steps, ""))));
}
