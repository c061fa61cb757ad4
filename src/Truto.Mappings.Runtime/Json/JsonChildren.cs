using System.Collections;
using System.Text.Json;

namespace Truto.Mappings.Json;

/// <summary>
/// <c>[*]</c> over one node: the elements of an array or the member values of an object, nothing
/// otherwise. A struct with a struct enumerator, so the <c>foreach</c> of generated code allocates
/// nothing; passed where a sequence is expected it is boxed once.
/// </summary>
public readonly struct JsonChildren : IEnumerable<JsonElement>
{
    private readonly JsonElement? _node;

    /// <summary>The children of <paramref name="node"/>.</summary>
    public JsonChildren(JsonElement? node) => _node = node;

    /// <summary>An enumerator over the children, in document order.</summary>
    public Enumerator GetEnumerator() => new(_node);

    IEnumerator<JsonElement> IEnumerable<JsonElement>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks an array's elements or an object's member values, without allocating.</summary>
    public struct Enumerator : IEnumerator<JsonElement>
    {
        private readonly JsonValueKind _kind;
        private JsonElement.ArrayEnumerator _elements;
        private JsonElement.ObjectEnumerator _members;

        internal Enumerator(JsonElement? node)
        {
            _kind = node?.ValueKind ?? JsonValueKind.Undefined;
            _elements = _kind == JsonValueKind.Array ? node!.Value.EnumerateArray() : default;
            _members = _kind == JsonValueKind.Object ? node!.Value.EnumerateObject() : default;
        }

        /// <inheritdoc />
        public readonly JsonElement Current => _kind == JsonValueKind.Array ? _elements.Current : _members.Current.Value;

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => _kind switch
        {
            JsonValueKind.Array => _elements.MoveNext(),
            JsonValueKind.Object => _members.MoveNext(),
            _ => false,
        };

        /// <inheritdoc />
        public void Reset()
        {
            if (_kind == JsonValueKind.Array)
            {
                _elements.Reset();
            }
            else if (_kind == JsonValueKind.Object)
            {
                _members.Reset();
            }
        }

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
