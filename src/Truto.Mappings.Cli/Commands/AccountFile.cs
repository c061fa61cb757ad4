using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Cli.Commands;

/// <summary>The integrated account's context a dry run uses: a JSON file, or stand-ins for the keys the provider reads.</summary>
internal static class AccountFile
{
    public static AccountContext Read(FileInfo? file, ProviderAdapter adapter)
    {
        if (file is null)
        {
            // Every key a template reads, set to a stand-in: enough to build requests when only the mapping matters.
            var standIn = adapter.Info.ContextKeys.Aggregate(new System.Text.Json.Nodes.JsonObject(), (context, key) => Set(context, key, adapter));
            return AccountContext.Parse(standIn.ToJsonString());
        }
        if (!file.Exists)
        {
            throw new CliException($"The account file '{file.FullName}' does not exist.");
        }
        try
        {
            return AccountContext.Parse(File.ReadAllText(file.FullName));
        }
        catch (JsonException e)
        {
            throw new CliException($"The account file '{file.Name}' is not a JSON object of context values: {e.Message}");
        }
    }

    // Flat dotted names are context keys too (AccountContext.FindElement looks them up first).
    private static System.Text.Json.Nodes.JsonObject Set(System.Text.Json.Nodes.JsonObject context, string key, ProviderAdapter adapter)
    {
        context[key] = StandIn(key, adapter.Info.Context.FirstOrDefault(k => k.Name == key), adapter.Info.Hosts);
        return context;
    }

    /// <summary>A value of the declared type and shape: an https origin on the first declared host, the first allowed value, a name.</summary>
    private static System.Text.Json.Nodes.JsonNode StandIn(string key, ContextKey? declared, IReadOnlyList<string> hosts) => declared switch
    {
        { Shape.Kind: ContextShapeKind.HttpsOrigin } => "https://" + (hosts.Count == 0 ? "example.com" : hosts[0].StartsWith("*.", StringComparison.Ordinal) ? "example" + hosts[0][1..] : hosts[0]),
        { Shape: { Kind: ContextShapeKind.OneOf, Values.Count: > 0 } shape } => shape.Values[0],
        { Type: ContextValueType.Number } => 1,
        { Type: ContextValueType.Boolean } => true,
        { Shape: not null } => "example",
        _ => "example-" + key[(key.LastIndexOf('.') + 1)..].Replace('_', '-'),
    };
}
