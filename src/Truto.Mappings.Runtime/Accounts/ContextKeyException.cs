namespace Truto.Mappings.Accounts;

/// <summary>
/// An account's context cannot serve a key its provider needs: the caller's 400, naming the key.
/// The message never carries the value, which may be a secret.
/// </summary>
public abstract class ContextKeyException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    protected ContextKeyException(string key, string message)
        : base(message) => Key = key;

    /// <summary>Creates the exception (serialisation-friendly constructor).</summary>
    protected ContextKeyException()
        : this("(unknown)", "The integrated account's context cannot be used.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    protected ContextKeyException(string message, Exception innerException)
        : base(message, innerException) => Key = "(unknown)";

    /// <summary>The context key (dotted, e.g. <c>oauth.token.access_token</c>).</summary>
    public string Key { get; }
}
