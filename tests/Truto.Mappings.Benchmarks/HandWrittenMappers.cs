using System.Text.Json;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// What an engineer would write by hand for one provider with <see cref="JsonDocument"/> and
/// <see cref="Utf8JsonWriter"/>, knowing the answer's shape: the reference the generated mappings
/// are measured against. The benchmarks check once that each writes the same bytes as the
/// generated mapping for the benchmarked answer.
/// </summary>
internal static class HandWrittenMappers
{
    /// <summary>Nutshell's delete answer (<c>{"contacts": [...], "accounts": [...], "tags": [...]}</c>) to the unified contact.</summary>
    public static void WriteNutshellContact(Utf8JsonWriter json, ReadOnlyMemory<byte> body, string id)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var contact = root.GetProperty("contacts"u8)[0];
        json.WriteStartObject();
        json.WriteString("id"u8, id);
        WriteText(json, "name"u8, contact, "name"u8);
        WriteText(json, "first_name"u8, contact, "firstName"u8);
        WriteText(json, "last_name"u8, contact, "lastName"u8);
        WriteText(json, "title"u8, contact, "jobTitle"u8);
        WriteEpochSeconds(json, "created_at"u8, contact, "createdTime"u8);
        WriteEpochSeconds(json, "updated_at"u8, contact, "modifiedTime"u8);
        json.WritePropertyName("custom_fields"u8);
        contact.GetProperty("customFields"u8).WriteTo(json);

        var links = contact.GetProperty("links"u8);
        json.WriteStartObject("owner"u8);
        WriteText(json, "id"u8, links, "owner"u8);
        json.WriteEndObject();

        var accountId = links.GetProperty("accounts"u8)[0];
        json.WriteStartObject("account"u8);
        json.WriteString("id"u8, accountId.GetString());
        json.WritePropertyName("name"u8);
        var accountName = default(string);
        foreach (var account in root.GetProperty("accounts"u8).EnumerateArray())
        {
            if (account.GetProperty("id"u8).ValueEquals(accountId.GetString()))
            {
                accountName = account.GetProperty("name"u8).GetString();
                break;
            }
        }
        json.WriteStringValue(accountName);
        json.WriteEndObject();

        json.WriteStartArray("email_addresses"u8);
        foreach (var email in contact.GetProperty("emails"u8).EnumerateArray())
        {
            json.WriteStartObject();
            WriteText(json, "email"u8, email, "value"u8);
            WriteText(json, "type"u8, email, "name"u8);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("phone_numbers"u8);
        foreach (var phone in contact.GetProperty("phones"u8).EnumerateArray())
        {
            var value = phone.GetProperty("value"u8);
            json.WriteStartObject();
            WriteText(json, "number"u8, value, "E164"u8);
            var extension = value.GetProperty("extension"u8).GetString()?.Trim();
            json.WriteString("extension"u8, string.IsNullOrEmpty(extension) ? null : extension);
            WriteText(json, "type"u8, phone, "name"u8);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("addresses"u8);
        foreach (var address in contact.GetProperty("addresses"u8).EnumerateArray())
        {
            json.WriteStartObject();
            WriteText(json, "street_1"u8, address, "address_1"u8);
            WriteText(json, "street_2"u8, address, "address_2"u8);
            WriteText(json, "city"u8, address, "city"u8);
            WriteText(json, "state"u8, address, "state"u8);
            WriteText(json, "postal_code"u8, address, "postalCode"u8);
            WriteText(json, "country"u8, address, "country"u8);
            WriteText(json, "type"u8, address, "name"u8);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("urls"u8);
        foreach (var url in contact.GetProperty("urls"u8).EnumerateArray())
        {
            json.WriteStartObject();
            WriteText(json, "url"u8, url, "value"u8);
            WriteText(json, "type"u8, url, "name"u8);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("tags"u8);
        foreach (var tag in root.GetProperty("tags"u8).EnumerateArray())
        {
            json.WriteStartObject();
            WriteText(json, "id"u8, tag, "id"u8);
            WriteText(json, "name"u8, tag, "name"u8);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WritePropertyName("remote_data"u8);
        root.WriteTo(json);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Salesforce's composite delete answer (one item per id, in order) to <c>{"result": [...]}</c> of the deleted ids.</summary>
    public static void WriteSalesforceBatch(Utf8JsonWriter json, ReadOnlyMemory<byte> body, IReadOnlyList<string> ids)
    {
        using var document = JsonDocument.Parse(body);
        json.WriteStartObject();
        json.WriteStartArray("result"u8);
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var id = ids[index++];
            if (item.GetProperty("success"u8).ValueKind == JsonValueKind.True)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, id);
                json.WritePropertyName("remote_data"u8);
                item.WriteTo(json);
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteText(Utf8JsonWriter json, ReadOnlySpan<byte> field, JsonElement from, ReadOnlySpan<byte> property)
        => json.WriteString(field, from.GetProperty(property).GetString());

    private static void WriteEpochSeconds(Utf8JsonWriter json, ReadOnlySpan<byte> field, JsonElement from, ReadOnlySpan<byte> property)
        => json.WriteString(field, DateTime.UnixEpoch.AddSeconds(from.GetProperty(property).GetInt64()));
}
