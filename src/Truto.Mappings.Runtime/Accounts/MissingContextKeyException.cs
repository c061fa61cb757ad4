namespace Truto.Mappings.Accounts;

/// <summary>An account lacks a context key its provider needs.</summary>
public sealed class MissingContextKeyException : ContextKeyException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public MissingContextKeyException(string key)
        : base(key, $"The integrated account's context has no '{key}', which this integration needs.")
    {
    }

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
}
