using System.Text.Json.Serialization;
using Sake;

/// <summary>The sample's routes, declared with attributes; the class is partial so the generator can add to it.</summary>
public static partial class HelloApi
{
    /// <summary>GET /plaintext: a string result is written as text/plain.</summary>
    /// <returns>The greeting.</returns>
    [Get("/plaintext")]
    public static string Plaintext() => "Hello, World!";

    /// <summary>GET /json: a payload type is written as JSON with the metadata of <see cref="HelloJsonContext"/>.</summary>
    /// <returns>The greeting as a JSON object.</returns>
    [Get("/json")]
    public static Message Json() => new("Hello, World!");

    /// <summary>GET /hello/{name}?times=N: a route value and a query value with a default, bound at compile time.</summary>
    /// <param name="name">From the route.</param>
    /// <param name="times">From the query string; 1 when absent, a 400 naming it when not an integer.</param>
    /// <returns>The greeting, repeated.</returns>
    [Get("/hello/{name}")]
    public static string Hello(string name, int times = 1) => string.Join(' ', Enumerable.Repeat($"Hello, {name}!", Math.Clamp(times, 1, 10)));
}

/// <summary>The JSON payload of /json.</summary>
/// <param name="message">The greeting.</param>
public sealed record Message([property: JsonPropertyName("message")] string message);

/// <summary>Source-generated JSON metadata, so the sample is NativeAOT-safe.</summary>
[JsonSerializable(typeof(Message))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
