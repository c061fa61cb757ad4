using System.Net;
using System.Net.Sockets;

namespace Truto.Mappings.Egress;

/// <summary>
/// The provider HttpClient's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host
/// once, refuses addresses a provider cannot have (<see cref="BlockedAddresses"/>) and connects to
/// an address it checked — never resolving again, so a name that answers differently the second
/// time (DNS rebinding) gains nothing. Origins the policy lets reach any address (listed in
/// <c>Egress:AllowedBaseUrls</c>, or a configured <c>Providers:{name}:BaseUrl</c>) connect as usual.
/// </summary>
internal sealed class ConnectGuard(EgressPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var target = context.InitialRequestMessage.RequestUri;
        // A connection to somewhere else than the request's host is to a proxy: operator configuration.
        var viaProxy = target is null
            || !endpoint.Host.Equals(target.IdnHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || endpoint.Port != target.Port;
        if (viaProxy || policy.MayReachAnyAddress(Origin.Of(target!)))
        {
            return await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var permitted = addresses.Where(a => BlockedAddresses.Reason(a) is null).ToList();
        if (permitted.Count == 0)
        {
            var reason = addresses.Length == 0 ? "resolved to no address" : $"resolves to a {BlockedAddresses.Reason(addresses[0])} address ({addresses[0]})";
            throw new EgressRefusedException(
                $"{endpoint.Host} {reason}, which provider calls may not reach unless its origin is listed in Egress:AllowedBaseUrls.");
        }
        SocketException? last = null;
        foreach (var address in permitted)
        {
            try
            {
                return await ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    private static async ValueTask<Stream> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
