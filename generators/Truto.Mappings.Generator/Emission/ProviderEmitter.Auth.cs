using System.Linq;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>The base URL, authentication and the headers every request carries.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteBaseUrl()
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line("public override string BuildBaseUrl(AccountContext context)");
        // Auth alternatives with their own base URL come first, each when its key is present.
        var choices = string.Concat(_provider.AuthAlternatives
            .Where(a => a.BaseUrl is not null)
            .Select(a => $"{Selected(a)} ? {Text(a.BaseUrl!, TextPlace.Url, "context", null)} : "));
        _code.Line($"    => {choices}{Text(_provider.BaseUrl, TextPlace.Url, "context", null)};");
    }

    /// <summary>The condition that selects an auth alternative: its key is in the context.</summary>
    private static string Selected(AuthSpec alternative) => $"context.Find({CodeWriter.Literal(alternative.When!)}) is not null";

    private void WriteAuthenticate()
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void Authenticate(ProviderRequest request, AccountContext context)");
        foreach (var alternative in _provider.AuthAlternatives)
        {
            _code.Open($"if ({Selected(alternative)})");
            WriteAuth(alternative, alternative: true);
            _code.Line("return;");
            _code.Close();
            _code.Line();
        }
        WriteAuth(_provider.Auth, alternative: false);
        _code.Close();
    }

    private void WriteAuth(AuthSpec auth, bool alternative)
    {
        switch (auth.Kind)
        {
            case AuthKind.Bearer:
                _code.Line($"request.SecretHeaders.Add(new(\"Authorization\", \"Bearer \" + {Text(auth.Token!, TextPlace.Plain, "context", null)}));");
                break;
            case AuthKind.Basic:
                var pair = $"{Text(auth.Username!, TextPlace.Plain, "context", null)} + \":\" + {Text(auth.Password!, TextPlace.Plain, "context", null)}";
                if (alternative)
                {
                    // No local here: the default's own 'credentials' follows in the enclosing block (CS0136).
                    _code.Line($"request.SecretHeaders.Add(new(\"Authorization\", \"Basic \" + Convert.ToBase64String(Encoding.UTF8.GetBytes({pair}))));");
                    break;
                }
                _code.Line($"var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes({pair}));");
                _code.Line("request.SecretHeaders.Add(new(\"Authorization\", \"Basic \" + credentials));");
                break;
            default:
                foreach (var header in auth.Headers)
                {
                    _code.Line($"request.SecretHeaders.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "context", null)}));");
                }
                break;
        }
    }

    private void WriteCommonHeaders()
    {
        if (_provider.Headers.Count == 0)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void AddHeaders(ProviderRequest request, AccountContext context)");
        _code.Line("ArgumentNullException.ThrowIfNull(request);");
        foreach (var header in _provider.Headers)
        {
            _code.Line($"request.Headers.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "context", null)}));");
        }
        _code.Close();
    }
}
