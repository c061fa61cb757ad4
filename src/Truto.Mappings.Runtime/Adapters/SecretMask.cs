using Truto.Mappings.Accounts;

namespace Truto.Mappings.Adapters;

/// <summary>
/// How a provider request is shown to people without its secrets (the CLI's <c>explain</c>, the
/// fixture snapshots): the values of the context keys the provider declares <c>secret: true</c> are
/// <see cref="Mask"/> wherever they appear (URL, headers, body; also percent-encoded), and a header
/// the provider's auth adds is <see cref="Mask"/> whole when it still shows none of them (a Basic
/// pair is base64). One rule for every place that shows requests, so none shows more than another.
/// </summary>
public sealed class SecretMask
{
    /// <summary>What stands for a secret.</summary>
    public const string Mask = "***";

    private readonly IReadOnlyList<string> _secrets;
    private readonly HashSet<string> _authHeaders;

    /// <summary>The mask of <paramref name="adapter"/>'s requests for an account with <paramref name="context"/>.</summary>
    public SecretMask(ProviderAdapter adapter, AccountContext context)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(context);
        // Longest first, so a secret that contains another is masked whole.
        _secrets = [.. adapter.Info.Context.Where(k => k.Secret).Select(k => context.Find(k.Name)).OfType<string>().Where(v => v.Length > 0).OrderByDescending(v => v.Length)];
        // Everything Authenticate adds is a secret header; it is asked, not guessed from names.
        var probe = new ProviderRequest();
        adapter.Authenticate(probe, context);
        _authHeaders = new HashSet<string>(probe.SecretHeaders.Select(h => h.Key), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary><paramref name="text"/> (a URL, a body) with every secret value masked.</summary>
    public string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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

    /// <summary>A header's value as shown: its secret values masked, or all of it when auth added it and no secret value shows in it.</summary>
    public string Header(string name, string value)
    {
        var masked = Text(value);
        return _authHeaders.Contains(name) && masked == value ? Mask : masked;
    }
}
