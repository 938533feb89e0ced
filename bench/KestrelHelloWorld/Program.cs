// Kestrel peer for the TechEmpower-style plaintext/json comparison (bench/plaintext-vs-kestrel.sh).
// ASP.NET Core minimal API on the slim builder, NativeAOT, source-generated JSON, no logging.
// Responses are produced per request: no cached response bytes.
// Listening URL: --urls http://127.0.0.1:PORT (or ASPNETCORE_URLS).

using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);

builder.Logging.ClearProviders();

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonSerializerContext.Default);
});

var app = builder.Build();

app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));
app.MapGet("/json", () => new Message("Hello, World!"));

app.Run();

/// <summary>The TechEmpower JSON payload: <c>{"message":"Hello, World!"}</c>.</summary>
public sealed record Message(string message);

[JsonSerializable(typeof(Message))]
internal sealed partial class AppJsonSerializerContext : JsonSerializerContext;
