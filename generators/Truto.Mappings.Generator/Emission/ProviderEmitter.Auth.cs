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
        _code.Line($"    => {Text(_provider.BaseUrl, TextPlace.Url, "context", null)};");
    }

    private void WriteAuthenticate()
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void Authenticate(ProviderRequest request, AccountContext context)");
        var auth = _provider.Auth;
        switch (auth.Kind)
        {
            case AuthKind.Bearer:
                _code.Line($"request.SecretHeaders.Add(new(\"Authorization\", \"Bearer \" + {Text(auth.Token!, TextPlace.Plain, "context", null)}));");
                break;
            case AuthKind.Basic:
                var pair = $"{Text(auth.Username!, TextPlace.Plain, "context", null)} + \":\" + {Text(auth.Password!, TextPlace.Plain, "context", null)}";
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
        _code.Close();
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
