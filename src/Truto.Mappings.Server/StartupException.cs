namespace Truto.Mappings.Server;

/// <summary>
/// The server cannot start as configured (a key ring that cannot read the stored accounts, a
/// certificate that cannot be loaded). The message says what is wrong and names the setting; the
/// program prints it and exits instead of serving 500s later.
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StartupException()
        : base("The server cannot start as configured.")
    {
    }
}
