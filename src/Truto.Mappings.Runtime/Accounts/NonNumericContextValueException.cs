namespace Truto.Mappings.Accounts;

/// <summary>
/// A context value a template sends as a JSON number (<c>{{context.pipeline_id | number}}</c>) is
/// not one: the caller's 400, naming the key, before anything is sent. The message never carries
/// the value.
/// </summary>
public sealed class NonNumericContextValueException : ContextKeyException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public NonNumericContextValueException(string key)
        : base(key, $"The integrated account's context value '{key}' is not a number (JSON's number grammar: 42, -1.5, 1e3; not 007 or 1,000), which this integration sends as one. Correct the account's context.")
    {
    }

    /// <summary>Creates the exception (serialisation-friendly constructor).</summary>
    public NonNumericContextValueException()
        : this("(unknown)")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NonNumericContextValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
