using System.Globalization;
using System.Text;
using Truto.Mappings.Adapters;
using Truto.Mappings.Schema;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>
/// The README's "Providers" table, generated: one row per catalogue provider, one column per
/// unified method the providers map. Counts and strategies come from the catalogue
/// (<see cref="ProviderInfo"/>); the provider request (method, path, query) from the YAML file,
/// which is the only place it is written.
/// </summary>
internal static class ProviderTable
{
    public const string Begin = "<!-- providers:begin (generated from the catalogue by ProviderTableTests; rewrite it with tests/refresh-snapshots.sh) -->";
    public const string End = "<!-- providers:end -->";

    public static string Render(IReadOnlyList<ProviderAdapter> adapters)
    {
        var methods = adapters.SelectMany(a => a.Info.Operations).Select(o => (o.Resource, o.Method)).Distinct().ToList();
        var text = new StringBuilder();
        text.Append("| provider (`integration`) | context keys | OAuth connect | ")
            .AppendJoin(" | ", methods.Select(m => OperationNames.Slug(m.Method)))
            .Append(" |\n|")
            .Append(string.Concat(Enumerable.Repeat(" --- |", 3 + methods.Count)))
            .Append('\n');
        foreach (var adapter in adapters.OrderBy(a => a.Info.Name, StringComparer.Ordinal))
        {
            var info = adapter.Info;
            var file = ProviderFiles.All.SingleOrDefault(p => p.Name == info.Name).Root;
            text.Append(CultureInfo.InvariantCulture, $"| {info.DisplayName} (`{info.Name}`) | {Keys(info)} | {(info.OAuth2 is null ? "no" : "yes")} | ")
                .AppendJoin(" | ", methods.Select(m => Cell(info.Find(m.Resource, m.Method), file)))
                .Append(" |\n");
        }
        return text.ToString();
    }

    private static string Keys(ProviderInfo info)
    {
        var required = info.Context.Where(k => k.Required).Select(k => $"`{k.Name}`").ToList();
        return required.Count > 0 ? string.Join(", ", required) : "none required (`auth` alternatives)";
    }

    private static string Cell(OperationInfo? operation, YamlMappingNode? file)
    {
        if (operation is null)
        {
            return "—";
        }
        if (operation.Strategy == BatchStrategy.FanOut)
        {
            return $"fan-out, {operation.Concurrency} at a time";
        }
        var request = file is null ? "" : Request(file, operation);
        return operation.Method == "delete" || operation.MaxIds <= 1
            ? request
            : $"native {request}, {operation.MaxIds} per call, {operation.Concurrency} at a time";
    }

    private static string Request(YamlMappingNode file, OperationInfo operation)
    {
        var method = ProviderFiles.Scalar(file, operation.Resource, operation.Method, "method");
        var path = ProviderFiles.Scalar(file, operation.Resource, operation.Method, "path")?.Replace("{{id}}", "{id}", StringComparison.Ordinal);
        var query = ProviderFiles.Node(file, operation.Resource, operation.Method, "query") is YamlMappingNode map
            ? "?" + string.Join("&", map.Children.Select(q => $"{q.Key}={(q.Value is YamlScalarNode { Value: { } v } && !v.Contains("{{", StringComparison.Ordinal) ? v : "…")}"))
            : "";
        return $"`{method} {path}{query}`";
    }
}
