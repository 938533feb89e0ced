using System.Text;

namespace Sake.Benchmarks;

/// <summary>
/// The fixed, realistic request/response of spec SC-003: ~700 B of request headers (12 typical browser/API
/// headers), a 1 KiB JSON request body and a 1 KiB JSON response body.
/// </summary>
internal static class Payload
{
    public const int BodySize = 1024;

    /// <summary>The 1 KiB JSON request body (an order being placed).</summary>
    public static readonly byte[] RequestBody = PadJson(
        """{"orderId":"ord_01J9ZK4T8Q2M7X5V3B6N1C0DHE","customer":{"id":48213,"email":"ada.lovelace@example.com","name":"Ada Lovelace","tier":"gold"},"currency":"EUR","items":[{"sku":"SKU-000173","name":"Espresso beans 1 kg","qty":2,"unitPrice":24.90},{"sku":"SKU-004410","name":"Burr grinder","qty":1,"unitPrice":189.00},{"sku":"SKU-000921","name":"Milk jug 600 ml","qty":1,"unitPrice":17.50},{"sku":"SKU-002208","name":"Descaler (3 pack)","qty":3,"unitPrice":8.95}],"shipping":{"method":"express","address":{"line1":"12 Analytical Engine Way","city":"London","postcode":"NW1 6XE","country":"GB"}},"coupon":"SPRING24","giftWrap":false,"note":""}""");

    /// <summary>The 1 KiB JSON response body (the created order, with totals and links).</summary>
    public static readonly byte[] ResponseBody = PadJson(
        """{"id":"ord_01J9ZK4T8Q2M7X5V3B6N1C0DHE","status":"accepted","createdAt":"2025-04-14T09:26:53.589Z","totals":{"items":292.15,"discount":-29.22,"shipping":9.90,"tax":56.49,"grand":329.32,"currency":"EUR"},"lines":[{"sku":"SKU-000173","qty":2,"total":49.80},{"sku":"SKU-004410","qty":1,"total":189.00},{"sku":"SKU-000921","qty":1,"total":17.50},{"sku":"SKU-002208","qty":3,"total":26.85}],"delivery":{"carrier":"DHL","eta":"2025-04-16","tracking":null},"links":{"self":"/orders/ord_01J9ZK4T8Q2M7X5V3B6N1C0DHE","payment":"/orders/ord_01J9ZK4T8Q2M7X5V3B6N1C0DHE/payment","cancel":"/orders/ord_01J9ZK4T8Q2M7X5V3B6N1C0DHE/cancel"},"warnings":[],"note":""}""");

    /// <summary>12 headers a browser-side API call typically carries (Content-Length is added per request).</summary>
    public static readonly KeyValuePair<string, string>[] Headers =
    [
        new("Host", "api.example.com"),
        new("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"),
        new("Accept", "application/json, text/plain, */*"),
        new("Accept-Language", "en-GB,en;q=0.9,de;q=0.8"),
        new("Accept-Encoding", "gzip, deflate, br, zstd"),
        new("Content-Type", "application/json"),
        new("Origin", "https://app.example.com"),
        new("Referer", "https://app.example.com/checkout/review?step=3"),
        new("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0ODIxMyIsInJvbGUiOiJjdXN0b21lciIsImV4cCI6MTc0NDYyMjQwMH0.q3H1nS9x0c2bLw8mZfQeT7yK4pVvR5uJdA6oIgN1sXc"),
        new("Cookie", "sid=s%3A9f2c7e1a4b8d4e0f9a3c6b5d2e1f0a9b.Zx8kQm3; theme=dark; consent=analytics%2Cads"),
        new("X-Request-Id", "3f6c1e2a-8b4d-4c7e-9a1f-5d2b8e7c4a90"),
        new("Content-Length", BodySize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>Bytes of the header block as it appears on the wire ("Name: value\r\n" each).</summary>
    public static int HeaderBytes => Headers.Sum(h => h.Key.Length + 2 + h.Value.Length + 2);

    /// <summary>The complete request as a client sends it.</summary>
    public static byte[] HttpRequest(string path)
    {
        var sb = new StringBuilder();
        sb.Append("POST ").Append(path).Append(" HTTP/1.1\r\n");
        foreach (var h in Headers)
        {
            sb.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
        }

        sb.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(sb.ToString()), .. RequestBody];
    }

    /// <summary>Fills the trailing <c>"note":""</c> so the document is exactly <see cref="BodySize"/> bytes.</summary>
    private static byte[] PadJson(string json)
    {
        int missing = BodySize - Encoding.UTF8.GetByteCount(json);
        if (missing < 0 || !json.EndsWith("\"note\":\"\"}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The template is {-missing} bytes over {BodySize}.");
        }

        var note = new StringBuilder();
        const string filler = "Please leave the parcel with the concierge if nobody answers. ";
        while (note.Length < missing)
        {
            note.Append(filler);
        }

        json = json[..^2] + note.ToString(0, missing) + "\"}";
        var bytes = Encoding.UTF8.GetBytes(json);
        System.Text.Json.JsonDocument.Parse(bytes).Dispose(); // it must stay valid JSON
        return bytes;
    }
}
