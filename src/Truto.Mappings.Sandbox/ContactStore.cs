using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Truto.Mappings.Sandbox;

/// <summary>A simulator's contacts: ids and, where the provider answers with one, the record.</summary>
public sealed class ContactStore
{
    private readonly ConcurrentDictionary<string, JsonObject?> _contacts = new(StringComparer.Ordinal);
    private readonly Func<int, string> _newId;
    private readonly Func<string, int, JsonObject?> _newRecord;
    private int _sequence;

    internal ContactStore(Func<int, string> newId, Func<string, int, JsonObject?> newRecord)
    {
        _newId = newId;
        _newRecord = newRecord;
    }

    /// <summary>The ids in the store.</summary>
    public IReadOnlyCollection<string> Ids => _contacts.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>How many contacts there are.</summary>
    public int Count => _contacts.Count;

    /// <summary>Adds (or replaces) a contact.</summary>
    public void Add(string id, JsonObject? record = null) => _contacts[id] = record;

    /// <summary>Adds <paramref name="count"/> contacts with the provider's id shape and returns their ids.</summary>
    public IReadOnlyList<string> Seed(int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _sequence);
            var id = _newId(n);
            _contacts[id] = _newRecord(id, n);
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>True when the id is in the store.</summary>
    public bool Contains(string id) => _contacts.ContainsKey(id);

    /// <summary>Removes a contact; its record (or null) when it was there.</summary>
    internal bool TryRemove(string id, out JsonObject? record) => _contacts.TryRemove(id, out record);
}
