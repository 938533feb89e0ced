using System.Text.Json.Serialization;
using Sake;

// The URL comes from the first argument or SAKE_URLS, so benchmarks and tests can pick a port.
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("SAKE_URLS") ?? "http://127.0.0.1:8080";

var app = new SakeApp();
app.Get("/plaintext", ctx => ctx.Text("Hello, World!"));
app.Get("/json", ctx => ctx.Json(new Message("Hello, World!"), HelloJsonContext.Default.Message));

Console.WriteLine($"HelloWorld listening on {url} (Ctrl+C to stop)");
app.Run(url);

/// <summary>The JSON payload of /json.</summary>
/// <param name="message">The greeting.</param>
public sealed record Message([property: JsonPropertyName("message")] string message);

/// <summary>Source-generated JSON metadata, so the sample is NativeAOT-safe.</summary>
[JsonSerializable(typeof(Message))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
