using Microsoft.Extensions.Primitives;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// The Truto query parameters of a unified call, read the way Truto's query strings are written:
/// brackets for arrays and objects (<c>id[]=1</c>, <c>truto_exclude_fields[]=a</c>,
/// <c>remote_query[foo]=bar</c>), with the plain and comma-separated forms accepted too.
/// </summary>
public sealed record TrutoQuery(Guid AccountId, UnifiedRequestOptions Options, IReadOnlyList<string> Ids)
{
    public static (TrutoQuery? Query, TrutoError? Error) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var accountText = query["integrated_account_id"].ToString();
        if (accountText.Length == 0)
        {
            return (null, TrutoError.BadRequest("integrated_account_id", "integrated_account_id is required: the id of the integrated account to use."));
        }
        if (!Guid.TryParse(accountText, out var accountId))
        {
            return (null, TrutoError.BadRequest("integrated_account_id", $"integrated_account_id must be a uuid; got '{accountText}'."));
        }
        var formatText = query["truto_response_format"].ToString();
        if (UnifiedRequestOptions.ParseFormat(formatText) is not { } format)
        {
            return (null, TrutoError.BadRequest("truto_response_format", $"truto_response_format must be one of unified, raw, normalized, stream; got '{formatText}'."));
        }
        var ignoreText = query["truto_ignore_remote_data"].ToString();
        bool? ignore = ignoreText switch
        {
            "" or "false" or "0" => false,
            "true" or "1" => true,
            _ => null,
        };
        if (ignore is null)
        {
            return (null, TrutoError.BadRequest("truto_ignore_remote_data", $"truto_ignore_remote_data must be true or false; got '{ignoreText}'."));
        }
        var options = new UnifiedRequestOptions
        {
            Format = format,
            IgnoreRemoteData = ignore.Value,
            ExcludeFields = Values(query, "truto_exclude_fields").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            RemoteQuery = RemoteQuery(query),
        };
        return (new TrutoQuery(accountId, options, Values(query, "id").ToList()), null);
    }

    /// <summary>Every value of <c>name</c>, <c>name[]</c> and <c>name[n]</c>.</summary>
    private static IEnumerable<string> Values(IQueryCollection query, string name)
        => query.Where(p => p.Key == name || p.Key == name + "[]" || (p.Key.StartsWith(name + "[", StringComparison.Ordinal) && p.Key.EndsWith(']') && int.TryParse(p.Key.AsSpan(name.Length + 1, p.Key.Length - name.Length - 2), out _)))
            .SelectMany(p => (IEnumerable<string?>)p.Value)
            .OfType<string>()
            .Where(v => v.Length > 0);

    /// <summary><c>remote_query[foo]=bar</c> → foo=bar; <c>remote_query[filter][id]=1</c> → filter[id]=1.</summary>
    private static List<KeyValuePair<string, string>> RemoteQuery(IQueryCollection query)
    {
        const string prefix = "remote_query[";
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in query.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var close = key.IndexOf(']', prefix.Length);
            if (close < 0)
            {
                continue;
            }
            var name = key[prefix.Length..close] + key[(close + 1)..];
            foreach (var value in (IEnumerable<string?>)values)
            {
                result.Add(new(name, value ?? ""));
            }
        }
        return result;
    }
}
