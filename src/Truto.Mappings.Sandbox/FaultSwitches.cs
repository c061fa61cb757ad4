namespace Truto.Mappings.Sandbox;

/// <summary>Faults to inject into a simulator's next answers: rate limiting, 5xx, malformed bodies, slowness.</summary>
public sealed class FaultSwitches
{
    private readonly Lock _gate = new();
    private int _rateLimited;
    private int _retryAfterSeconds;
    private int _serverErrors;
    private int _serverErrorStatus = 500;
    private int _malformed;
    private int _delayed;
    private TimeSpan _delay;

    /// <summary>The next <paramref name="requests"/> get the provider's rate-limit answer (with Retry-After when above 0).</summary>
    public void RateLimitNext(int requests = 1, int retryAfterSeconds = 0)
    {
        lock (_gate)
        {
            _rateLimited = requests;
            _retryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>The next <paramref name="requests"/> get a 5xx.</summary>
    public void ServerErrorNext(int requests = 1, int status = 500)
    {
        lock (_gate)
        {
            _serverErrors = requests;
            _serverErrorStatus = status;
        }
    }

    /// <summary>The next <paramref name="requests"/> get a 200 whose JSON body is cut short.</summary>
    public void MalformedNext(int requests = 1)
    {
        lock (_gate)
        {
            _malformed = requests;
        }
    }

    /// <summary>The next <paramref name="requests"/> are answered after <paramref name="delay"/>.</summary>
    public void DelayNext(int requests, TimeSpan delay)
    {
        lock (_gate)
        {
            _delayed = requests;
            _delay = delay;
        }
    }

    /// <summary>No faults.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _rateLimited = _serverErrors = _malformed = _delayed = 0;
        }
    }

    /// <summary>Takes the faults that apply to one request (each switch counts down once).</summary>
    internal Fault Take()
    {
        lock (_gate)
        {
            var delay = _delayed > 0 ? _delay : TimeSpan.Zero;
            _delayed = Math.Max(0, _delayed - 1);
            if (_rateLimited > 0)
            {
                _rateLimited--;
                return new Fault(FaultKind.RateLimited, delay, _retryAfterSeconds, 0);
            }
            if (_serverErrors > 0)
            {
                _serverErrors--;
                return new Fault(FaultKind.ServerError, delay, 0, _serverErrorStatus);
            }
            if (_malformed > 0)
            {
                _malformed--;
                return new Fault(FaultKind.Malformed, delay, 0, 0);
            }
            return new Fault(FaultKind.None, delay, 0, 0);
        }
    }
}

internal enum FaultKind
{
    None,
    RateLimited,
    ServerError,
    Malformed,
}

internal sealed record Fault(FaultKind Kind, TimeSpan Delay, int RetryAfterSeconds, int Status);
