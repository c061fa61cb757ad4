namespace Truto.Mappings.Egress;

/// <summary>
/// The connect-time guard refused a provider connection: the host resolved only to addresses a
/// provider cannot have (loopback, private, link-local, …) and its origin is not allowed by
/// configuration. The transport answers it as a 502 naming the reason; it is never retried.
/// </summary>
public sealed class EgressRefusedException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public EgressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception (serialisation-friendly constructor).</summary>
    public EgressRefusedException()
        : this("The provider connection was refused by the egress policy.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EgressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refusal <paramref name="exception"/> carries (HttpClient wraps what its ConnectCallback throws), or null.</summary>
    public static EgressRefusedException? FoundIn(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is EgressRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }
}
