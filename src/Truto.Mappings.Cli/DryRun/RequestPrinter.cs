using System.Text;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Cli.DryRun;

/// <summary>Writes recorded requests as HTTP text with secrets masked by the runtime's one rule (<see cref="SecretMask"/>).</summary>
internal sealed class RequestPrinter(ProviderAdapter adapter, AccountContext context)
{
    private readonly SecretMask _mask = new(adapter, context);

    public async Task WriteAsync(TextWriter output, SentRequest request)
    {
        await output.WriteLineAsync($"{request.Method} {_mask.Text(request.Url.AbsoluteUri)}");
        foreach (var (name, value) in request.Headers)
        {
            await output.WriteLineAsync($"{name}: {_mask.Header(name, value)}");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(request.Body is { Length: > 0 } body ? _mask.Text(Encoding.UTF8.GetString(body)) : "(no body)");
    }
}
