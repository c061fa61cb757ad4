using System.Text;
using System.Text.Json;

namespace Truto.Mappings.Runtime.Tests;

/// <summary>Test input as JSON text, and writer output read back as text.</summary>
internal static class JsonElements
{
    /// <summary>The parsed value, detached from its document.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>What <paramref name="write"/> writes to a fresh <see cref="Utf8JsonWriter"/>.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
