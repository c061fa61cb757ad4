namespace Truto.Mappings.Errors;

/// <summary>Thrown by <c>EnsureSuccess</c> when a unified call failed; carries the envelope.</summary>
public sealed class TrutoApiException : Exception
{
    /// <summary>Creates the exception for an error envelope.</summary>
    public TrutoApiException(TrutoError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message) => Error = error;

    /// <summary>Creates the exception with a message (no envelope details).</summary>
    public TrutoApiException()
        : this(new TrutoError(500, "The unified call failed."))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrutoApiException(string message)
        : this(new TrutoError(500, message))
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TrutoApiException(string message, Exception innerException)
        : base(message, innerException) => Error = new TrutoError(500, message);

    /// <summary>The error envelope.</summary>
    public TrutoError Error { get; }
}
