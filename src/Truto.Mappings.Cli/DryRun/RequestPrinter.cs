using System.Text;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Cli.DryRun;

/// <summary>
/// Writes recorded requests as HTTP text with secrets masked: the values of the context keys the
/// provider declares <c>secret: true</c> wherever they appear (URL, headers, body), and the whole
/// value of an authentication header that still shows none of them (a Basic pair is encoded).
/// </summary>
internal sealed class RequestPrinter
{
    private const string Mask = "***";
    private readonly IReadOnlyList<string> _secrets;
    private readonly HashSet<string> _authHeaders;

    public RequestPrinter(ProviderAdapter adapter, AccountContext context)
    {
        _secrets = [.. adapter.Info.Context.Where(k => k.Secret).Select(k => context.Find(k.Name)).OfType<string>().Where(v => v.Length > 0).OrderByDescending(v => v.Length)];
        // Everything Authenticate adds is a secret header; it is asked, not guessed from names.
        var probe = new ProviderRequest();
        adapter.Authenticate(probe, context);
        _authHeaders = new HashSet<string>(probe.SecretHeaders.Select(h => h.Key), StringComparer.OrdinalIgnoreCase);
    }

    public async Task WriteAsync(TextWriter output, SentRequest request)
    {
        await output.WriteLineAsync($"{request.Method} {Masked(request.Url.AbsoluteUri)}");
        foreach (var (name, value) in request.Headers)
        {
            var masked = Masked(value);
            await output.WriteLineAsync($"{name}: {(_authHeaders.Contains(name) && masked == value ? Mask : masked)}");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(request.Body is { Length: > 0 } body ? Masked(Encoding.UTF8.GetString(body)) : "(no body)");
    }

    private string Masked(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                text = text.Replace(escaped, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
