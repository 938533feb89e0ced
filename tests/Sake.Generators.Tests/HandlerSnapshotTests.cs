using Sake.Generators.Tests.Infrastructure;

namespace Sake.Generators.Tests;

/// <summary>
/// Attribute-style handler classes: each scenario must compile cleanly with the generated code, and the generated
/// files must equal their verified snapshots (see README.md for the workflow).
/// </summary>
public sealed class HandlerSnapshotTests
{
    private static void Check(string source, string? variant = null, [System.Runtime.CompilerServices.CallerMemberName] string member = "")
    {
        var run = GeneratorHarness.RunGenerators(source).AssertClean();
        Assert.NotEmpty(run.SakeFiles);
        Snapshot.Verify(nameof(HandlerSnapshotTests), run.SakeFiles, variant, callerMember: member);
    }

    [Fact]
    public void RouteValuesOfEveryParsableKind() => Check("""
        using System;
        using Sake;

        namespace Shop;

        public enum Color { Red, Green }

        public static partial class Catalog
        {
            [Get("/items/{id:int}/{slug}/{color}/{key:guid}")]
            public static string Item(int id, string slug, Color color, Guid key, Context ctx) => $"{id} {slug} {color} {key} {ctx.Method}";

            [Get("/files/{*path}")]
            public static string File(string path) => path;

            [Get("/big/{n}")]
            public static string Big(long n, System.Threading.CancellationToken ct) => n.ToString();
        }
        """);

    [Fact]
    public void QueryAndHeaderValuesWithDefaultsAndNames() => Check("""
        using Sake;

        namespace Shop;

        public static partial class Search
        {
            [Get("/search")]
            public static string Find(
                string q,
                int page = 1,
                double? minPrice = null,
                string? sort = null,
                [FromQuery(Name = "per-page")] int perPage = 20,
                [FromHeader(Name = "X-Tenant")] string tenant = "public",
                [FromHeader] string? accept = null) => $"{q} {page} {minPrice} {sort} {perPage} {tenant} {accept}";
        }
        """);

    [Fact]
    public void JsonBodyAndResultThroughTheUserContext() => Check("""
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using Sake;

        namespace Shop;

        public sealed record Line(string Sku, int Qty);
        public sealed record Order(string Id, List<Line> Lines);
        public sealed record Receipt(string OrderId, decimal Total);

        [JsonSerializable(typeof(Order))]
        [JsonSerializable(typeof(Receipt))]
        internal sealed partial class ShopJson : JsonSerializerContext;

        public static partial class Orders
        {
            [Post("/orders")]
            public static async Task<Receipt> Place(Order order, Context ctx)
            {
                await Task.Yield();
                return new Receipt(order.Id, order.Lines.Count);
            }

            [Put("/orders/{id}")]
            public static Receipt Replace(string id, [FromBody] Order? order) => new(id, order?.Lines.Count ?? 0);
        }
        """);

    [Fact]
    public void EveryReturnKind() => Check("""
        using System.Threading.Tasks;
        using Sake;

        public static partial class Returns
        {
            [Get("/void")]
            public static void Nothing(Context ctx) => ctx.Status(204);

            [Get("/text")]
            public static string Text() => "hello";

            [Get("/bytes")]
            public static byte[] Bytes() => [1, 2, 3];

            [Get("/task")]
            public static Task Later(Context ctx) => Task.CompletedTask;

            [Get("/value-task-text")]
            public static ValueTask<string> LaterText() => new("later");

            [Get("/task-bytes")]
            public static Task<byte[]> LaterBytes() => Task.FromResult(new byte[] { 4 });
        }
        """);

    [Fact]
    public void WorkerRoutesAndSeveralRoutesOnOneMethod() => Check("""
        using Sake;

        namespace Compute;

        public sealed partial class MathApi
        {
            [Get("/fib/{n:int}"), Worker]
            public static string Fib(int n) => Fibonacci(n).ToString();

            [Get("/square/{n:int}"), Post("/square/{n:int}"), Route("HEAD", "/square/{n:int}")]
            public static string Square(int n) => (n * n).ToString();

            private static long Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);
        }
        """);

    [Fact]
    public void NestedInternalClassWithPrivateHandlers() => Check("""
        using Sake;

        namespace Admin.Api;

        internal static partial class Outer
        {
            internal static partial class Users
            {
                [Delete("/users/{id:long}")]
                private static void Remove(long id, Context ctx) => ctx.Status(204);

                [Patch("/users/{id:long}/name")]
                private static string Rename(long id, [Sake.FromBody] string name) => $"{id}:{name}";
            }
        }
        """);

    [Fact]
    public void RawBodiesAndTheGlobalNamespace() => Check("""
        using System;
        using Sake;

        public static partial class Uploads
        {
            [Post("/raw/bytes")]
            public static int Bytes([FromBody] byte[] data) => data.Length;

            [Post("/raw/memory")]
            public static string Memory([FromBody] ReadOnlyMemory<byte> data) => data.Length.ToString();
        }

        [System.Text.Json.Serialization.JsonSerializable(typeof(int))]
        internal sealed partial class NumbersJson : System.Text.Json.Serialization.JsonSerializerContext;
        """);

    [Fact]
    public void MiddlewareOnTheClassAndOnHandlers() => Check("""
        using System.Threading.Tasks;
        using Sake;

        namespace Secure;

        public static class Auth
        {
            public static ValueTask RequireKey(Context ctx) => ctx.Header("X-Key") == "k" ? ctx.Next() : Deny(ctx);
            private static ValueTask Deny(Context ctx) { ctx.AbortWithStatus(401); return default; }
        }

        [Use(nameof(Log))]
        public static partial class Admin
        {
            [Get("/admin/stats"), Use(typeof(Auth), nameof(Auth.RequireKey))]
            public static string Stats() => "ok";

            [Post("/admin/rebuild"), Use(typeof(Auth), nameof(Auth.RequireKey)), Use(nameof(Audit)), Worker]
            public static void Rebuild(Context ctx) => ctx.Status(202);

            private static ValueTask Log(Context ctx) => ctx.Next();
            private static ValueTask Audit(Context ctx) => ctx.Next();
        }
        """);

    [Fact]
    public void HandlersInAGroupAndTheirPayloads() => Check("""
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using Sake;

        namespace Blog;

        public sealed record Author(Guid Id, string Name);
        public sealed record Post(int Id, string Title, Author Author, List<string> Tags, DateTimeOffset Published, Dictionary<string, int> Reactions);

        [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
        [JsonSerializable(typeof(Post))]
        [JsonSerializable(typeof(List<Post>))]
        internal sealed partial class BlogJson : JsonSerializerContext;

        public static partial class Posts
        {
            [Get("/posts")]
            public static List<Post> List(int page = 1, [FromQuery(Name = "tag")] string? tag = null) => new();

            [Get("/posts/{id:int}")]
            public static Post? Get(int id) => null;

            [Post("/posts")]
            public static Post Create(Post post) => post;
        }
        """);

    [Fact]
    public void JsonMetadataWithoutAUserContext()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using Sake;

            namespace Store;

            public enum Status { Draft, Placed }

            public sealed record Money(decimal Amount, string Currency = "EUR");

            public sealed record Line(string Sku, int Qty, Money Price, int? Discount);

            public sealed class Order
            {
                public Guid Id { get; set; }
                [JsonPropertyName("placed_at")] public DateTimeOffset PlacedAt { get; set; }
                public Status Status { get; set; }
                public List<Line> Lines { get; init; } = new();
                public IReadOnlyList<string> Tags { get; set; } = [];
                public Dictionary<string, int> Counters { get; set; } = new();
                public int[] Scores { get; set; } = [];
                public DateTime? ShippedAt { get; set; }
                [JsonIgnore] public string Internal { get; set; } = "";
                public Order? Parent { get; set; }
            }

            public struct Point { public int X { get; set; } public int Y { get; set; } }

            public static partial class Orders
            {
                [Post("/orders")]
                public static Order Place(Order order) => order;

                [Get("/points/{x:int}/{y:int}")]
                public static Point At(int x, int y) => new() { X = x, Y = y };

                [Get("/totals")]
                public static Dictionary<string, Money> Totals() => new();
            }
            """;
        var run = GeneratorHarness.RunGenerators(source).AssertClean();
        Assert.Contains(run.SakeFiles, f => f.HintName == "Sake.Json.g.cs");
        Snapshot.Verify(nameof(HandlerSnapshotTests), run.SakeFiles);
    }

    [Fact]
    public void ContextAndCancellationTokenOnly() => Check("""
        using System.Threading;
        using System.Threading.Tasks;
        using Sake;

        public static partial class Streams
        {
            [Get("/ping")]
            public static void Ping(Context ctx) => ctx.Text("pong");

            [Get("/wait")]
            public static async Task Wait(Context ctx, CancellationToken aborted)
            {
                await Task.Delay(1, aborted);
                ctx.Status(204);
            }
        }
        """);

    [Fact]
    public void OptionalAndNullableBodies() => Check("""
        using Sake;

        namespace Forms;

        public sealed record Draft(string Title);
        public struct Flags { public bool Pinned { get; set; } }

        public static partial class Drafts
        {
            [Post("/drafts")]
            public static string Save(Draft? draft = null) => draft?.Title ?? "empty";

            [Post("/flags")]
            public static string Flag([FromBody] Flags? flags) => flags?.Pinned.ToString() ?? "none";

            [Post("/flags/required")]
            public static bool Required(Flags flags) => flags.Pinned;
        }
        """);

    [Fact]
    public void AHandlerWithAnErrorIsLeftOutAndTheRestGenerates()
    {
        var run = GeneratorHarness.RunGenerators("""
            using Sake;

            public static partial class Mixed
            {
                [Get("/fine/{id:int}")]
                public static string Fine(int id) => id.ToString();

                [Get("/broken/{when}")]
                public static string Broken(System.Uri when) => when.ToString();
            }
            """);
        Assert.Equal("SAKE0004", Assert.Single(run.SakeDiagnostics).Id);
        Assert.Empty(run.CompileErrors);
        Snapshot.Verify(nameof(HandlerSnapshotTests), run.SakeFiles);
    }

    [Fact]
    public void ResultValues() => Check("""
        using System.Threading.Tasks;
        using Sake;

        namespace Tickets;

        public sealed record Ticket(int Id, string Title);

        public static partial class TicketApi
        {
            [Get("/tickets/{id:int}")]
            public static Result<Ticket> Find(int id) => id == 1 ? new Ticket(1, "a") : Result.NotFound();

            [Delete("/tickets/{id:int}")]
            public static Task<Result> Delete(int id) => Task.FromResult(Result.NoContent());

            [Post("/tickets"), Worker]
            public static Result<Ticket> Create(Ticket ticket, Context ctx) => Result<Ticket>.Created("/tickets/" + ticket.Id, ticket);
        }
        """);
}
