namespace Truto.Mappings.Accounts;

/// <summary>
/// A context value holds control characters (CR, LF, NUL, …). Such a value could add headers to a
/// provider request or bend its URL, so it is refused before anything is built from it.
/// </summary>
public sealed class InvalidContextValueException : ContextKeyException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public InvalidContextValueException(string key)
        : base(key, $"The integrated account's context value '{key}' contains control characters (such as line breaks); no credential or setting has them. Correct the account's context.")
    {
    }

    /// <summary>Creates the exception (serialisation-friendly constructor).</summary>
    public InvalidContextValueException()
        : this("(unknown)")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidContextValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
