using System.Text.Json.Serialization;

namespace Sake.Testing.Tests.Handlers;

/// <summary>A user's handler class as it would appear in an app: served by the host tests, snapshotted by the snapshot tests.</summary>
public static partial class GreetingApi
{
    [Get("/hello/{name}")]
    public static string Hello(string name, int times = 1) => string.Join(' ', Enumerable.Repeat($"Hello, {name}!", Math.Clamp(times, 1, 5)));

    [Get("/greeting/{name}")]
    public static Greeting Json(string name) => new($"Hello, {name}!");

    [Post("/echo")]
    public static string Echo([FromBody] string body) => body;
}

public sealed record Greeting([property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(Greeting))]
internal sealed partial class GreetingJsonContext : JsonSerializerContext;
