namespace Truto.Mappings.Accounts;

/// <summary>An account lacks a context key its provider needs.</summary>
public sealed class MissingContextKeyException : ContextKeyException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public MissingContextKeyException(string key)
        : base(key, $"The integrated account's context has no '{key}', which this integration needs.")
        => Keys = [key];

    /// <summary>
    /// Creates the exception for a template's fallback chain (<c>{{context.a ?? context.b}}</c>):
    /// the account holds none of <paramref name="keys"/>, and the message names them all.
    /// </summary>
    public MissingContextKeyException(IReadOnlyList<string> keys)
        : base(
            First(keys),
            keys.Count == 1
                ? $"The integrated account's context has no '{keys[0]}', which this integration needs."
                : $"The integrated account's context has none of {string.Join(", ", keys.Select(k => "'" + k + "'"))}; this integration needs one of them.")
        => Keys = keys;

    /// <summary>Every key that would have served (one, or a fallback chain's).</summary>
    public IReadOnlyList<string> Keys { get; } = [];

    /// <summary>Creates the exception (serialisation-friendly constructor).</summary>
    public MissingContextKeyException()
        : this("(unknown)")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MissingContextKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private static string First(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count > 0 ? keys[0] : throw new ArgumentException("At least one key is needed.", nameof(keys));
    }
}
