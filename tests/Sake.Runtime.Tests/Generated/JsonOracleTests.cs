using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sake.Runtime.Tests.Generated;

public enum Mood
{
    Calm,
    Busy,
    Away,
}

public sealed record Address(string Street, string? City, int? Zip = null);

public sealed record Contact(
    Guid Id,
    string Name,
    Mood Mood,
    Mood? Previous,
    DateTime Created,
    DateTimeOffset Seen,
    TimeSpan Uptime,
    DateOnly Born,
    TimeOnly Alarm,
    decimal Balance,
    double Ratio,
    long Big,
    bool Active,
    char Initial,
    Address Home,
    Address? Work,
    int[] Lucky,
    List<Address> Others,
    IReadOnlyList<string> Nicknames,
    Dictionary<string, int> Counters,
    Dictionary<string, List<double>> Series);

public sealed class Settings
{
    public string Theme { get; set; } = "dark";

    [JsonPropertyName("font_size")]
    public int FontSize { get; set; }

    public List<string> Plugins { get; init; } = new();

    [JsonIgnore]
    public string Secret { get; set; } = "";

    public Dictionary<string, Address> Places { get; set; } = new();

    public float? Zoom { get; set; }
}

public struct Pixel
{
    public byte R { get; set; }

    public byte G { get; set; }

    public byte B { get; set; }

    public short Alpha { get; set; }
}

public sealed class TreeNode
{
    public string Label { get; set; } = "";

    public List<TreeNode> Children { get; set; } = new();

    public TreeNode? Link { get; set; }
}

public sealed class Account
{
    public required string Owner { get; set; }

    [JsonRequired]
    public int Number { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Flags { get; set; }

    [JsonPropertyOrder(-1)]
    public Int128 Huge { get; set; }

    public Half Small { get; set; }

    [Obsolete("kept for old clients")]
    public string? Legacy { get; set; }
}

public sealed record Tagged(string Name, [property: JsonIgnore] string Hidden = "none");

public class BaseShape
{
    public int X { get; set; }
}

public sealed class DerivedShape : BaseShape
{
    public int Y { get; set; }
}

/// <summary>A plain converter (not a factory): Celsius written with one decimal.</summary>
public sealed class OneDecimalConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteRawValue(Math.Round(value, 1).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
}

[JsonConverter(typeof(JsonStringEnumConverter<Weekday>))]
public enum Weekday
{
    Monday,
    Tuesday,
    Sunday,
}

public sealed class Inventory
{
    public HashSet<string> Labels { get; set; } = new();

    public IReadOnlyDictionary<string, int> Stock { get; set; } = new Dictionary<string, int>();

    public IDictionary<string, double> Prices { get; set; } = new Dictionary<string, double>();

    public Dictionary<int, string> ByBin { get; set; } = new();

    public Dictionary<Mood, List<Guid>> ByMood { get; set; } = new();

    [JsonConverter(typeof(JsonStringEnumConverter<Mood>))]
    public Mood Mood { get; set; }

    public Weekday Day { get; set; }

    [JsonConverter(typeof(OneDecimalConverter))]
    public double Celsius { get; set; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CircleShape), "circle")]
[JsonDerivedType(typeof(RectShape), "rect")]
public abstract class ShapeBase
{
    public string Name { get; set; } = "";
}

public sealed class CircleShape : ShapeBase
{
    public double Radius { get; set; }
}

public sealed class RectShape : ShapeBase
{
    public double Width { get; set; }

    public double Height { get; set; }
}

public sealed class Drawing
{
    public List<ShapeBase> Shapes { get; set; } = new();

    public ShapeBase? Focus { get; set; }
}

/// <summary>Handlers that make the generator emit metadata for the oracle's payload types (never mapped).</summary>
public static partial class OracleApi
{
    [Post("/contact")]
    public static Contact ContactEcho(Contact value) => value;

    [Post("/settings")]
    public static Settings SettingsEcho(Settings value) => value;

    [Post("/pixel")]
    public static Pixel PixelEcho(Pixel value) => value;

    [Post("/tree")]
    public static TreeNode TreeEcho(TreeNode value) => value;

    [Post("/account")]
    public static Account AccountEcho(Account value) => value;

    [Post("/tagged")]
    public static Tagged TaggedEcho(Tagged value) => value;

    [Post("/derived")]
    public static DerivedShape DerivedEcho(DerivedShape value) => value;

    [Post("/inventory")]
    public static Inventory InventoryEcho(Inventory value) => value;

    [Post("/drawing")]
    public static Drawing DrawingEcho(Drawing value) => value;
}

/// <summary>
/// The generated metadata against System.Text.Json's reflection serializer (with the same web options) on randomly
/// generated instances: the same JSON out, and a faithful round trip. Reflection is only used here, explicitly;
/// the test project turns it off by default, as NativeAOT does.
/// </summary>
public sealed partial class JsonOracleTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static JsonTypeInfo<T> Generated<T>() => (JsonTypeInfo<T>)Sake.Generated.SakeJsonResolver.Options.GetTypeInfo(typeof(T));

    [Fact]
    public void ContactsMatchTheReflectionSerializer() => Check(Generated<Contact>(), RandomContact, 400);

    [Fact]
    public void SettingsMatchTheReflectionSerializer() => Check(Generated<Settings>(), RandomSettings, 400);

    [Fact]
    public void StructsMatchTheReflectionSerializer() => Check(Generated<Pixel>(), r => new Pixel { R = (byte)r.Next(256), G = (byte)r.Next(256), B = (byte)r.Next(256), Alpha = (short)r.Next(short.MinValue, short.MaxValue) }, 200);

    [Fact]
    public void RecursiveTypesMatchTheReflectionSerializer() => Check(Generated<TreeNode>(), r => RandomTree(r, 0), 200);

#pragma warning disable CS0618 // Account.Legacy is obsolete on purpose: generated metadata must still reach it.
    [Fact]
    public void RequiredIgnoreConditionsOrderAndWideNumbersMatchTheReflectionSerializer() => Check(
        Generated<Account>(),
        r => new Account
        {
            Owner = RandomString(r),
            Number = r.Next(),
            Note = r.Next(2) == 0 ? null : RandomString(r),
            Flags = r.Next(3) == 0 ? 0 : r.Next(),
            Huge = (Int128)r.NextInt64() * r.NextInt64(),
            Small = (Half)Math.Round(r.NextDouble() * 100, 1),
            Legacy = r.Next(2) == 0 ? null : "old",
        },
        300);
#pragma warning restore CS0618

    [Fact]
    public void RequiredMembersAreEnforcedOnReadLikeTheReflectionSerializer()
    {
        const string json = """{"number": 5}""";
        var reflected = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Account>(json, Reflection));
        var generated = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, Generated<Account>()));
        Assert.Contains("owner", generated.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("owner", reflected.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SetsInterfaceDictionariesNonStringKeysAndConvertersMatchTheReflectionSerializer() => Check(
        Generated<Inventory>(),
        r =>
        {
            var inventory = new Inventory
            {
                Labels = Enumerable.Range(0, r.Next(4)).Select(i => "l" + i + RandomString(r)).ToHashSet(),
                Stock = Enumerable.Range(0, r.Next(4)).ToDictionary(i => "s" + i, _ => r.Next()),
                Prices = Enumerable.Range(0, r.Next(4)).ToDictionary(i => "p" + i, _ => Math.Round(r.NextDouble() * 100, 2)),
                ByBin = Enumerable.Range(0, r.Next(4)).ToDictionary(i => i * 7 - 3, _ => RandomString(r)),
                ByMood = Enumerable.Range(0, r.Next(3)).ToDictionary(i => (Mood)i, _ => Enumerable.Range(0, r.Next(3)).Select(_ => Guid.NewGuid()).ToList()),
                Mood = (Mood)r.Next(3),
                Day = (Weekday)r.Next(3),
                Celsius = Math.Round(r.NextDouble() * 80 - 40, 1),
            };
            return inventory;
        },
        300);

    [Fact]
    public void PolymorphicTypesMatchTheReflectionSerializer() => Check(
        Generated<Drawing>(),
        r =>
        {
            ShapeBase Make() => r.Next(2) == 0
                ? new CircleShape { Name = RandomString(r), Radius = Math.Round(r.NextDouble() * 10, 2) }
                : new RectShape { Name = RandomString(r), Width = r.Next(100), Height = r.Next(100) };
            return new Drawing { Shapes = Enumerable.Range(0, r.Next(4)).Select(_ => Make()).ToList(), Focus = r.Next(3) == 0 ? null : Make() };
        },
        200);

    [Fact]
    public void ConstructorParametersBoundToIgnoredPropertiesAndInheritedMembers()
    {
        Check(Generated<Tagged>(), r => new Tagged(RandomString(r), RandomString(r)), 50);
        Check(Generated<DerivedShape>(), r => new DerivedShape { X = r.Next(), Y = r.Next() }, 50);
    }

    [Fact]
    public void ReadingIsCaseInsensitiveAndTakesNumbersFromStringsLikeTheReflectionSerializer()
    {
        const string json = """{"THEME":"light","FONT_SIZE":"14","plugins":["a"],"secret":"x","zoom":"1.5","places":{"home":{"STREET":"s","zip":"7"}}}""";
        var generated = JsonSerializer.Deserialize(json, Generated<Settings>())!;
        var reflected = JsonSerializer.Deserialize<Settings>(json, Reflection)!;
        Assert.Equal(JsonSerializer.Serialize(reflected, Reflection), JsonSerializer.Serialize(generated, Generated<Settings>()));
        Assert.Equal("light", generated.Theme);
        Assert.Equal(14, generated.FontSize);
        Assert.Equal("", generated.Secret);
        Assert.Equal(7, generated.Places["home"].Zip);
    }

    private static void Check<T>(JsonTypeInfo<T> generated, Func<Random, T> make, int count)
    {
        var random = new Random(20261129);
        for (int i = 0; i < count; i++)
        {
            T value = make(random);
            string expected = JsonSerializer.Serialize(value, Reflection);
            string actual = JsonSerializer.Serialize(value, generated);
            Assert.Equal(expected, actual);

            // Reading back with the generated metadata must give an equal value (compared by its reflection JSON).
            T back = JsonSerializer.Deserialize(actual, generated)!;
            Assert.Equal(expected, JsonSerializer.Serialize(back, Reflection));
        }
    }

    private static string RandomString(Random r)
    {
        string[] parts = ["a", "Zürich", "😀", "\"q\"", "back\\slash", "line\nbreak", "", " ", "<tag>", "\u0001"];
        return string.Concat(Enumerable.Range(0, r.Next(4)).Select(_ => parts[r.Next(parts.Length)]));
    }

    private static Address RandomAddress(Random r) =>
        new(RandomString(r), r.Next(3) == 0 ? null : RandomString(r), r.Next(2) == 0 ? null : r.Next(-100000, 100000));

    private static Contact RandomContact(Random r) => new(
        Guid.NewGuid(),
        RandomString(r),
        (Mood)r.Next(3),
        r.Next(2) == 0 ? null : (Mood)r.Next(4),
        new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(r.NextInt64(0, TimeSpan.TicksPerDay * 20000)),
        new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.FromMinutes(r.Next(-12, 14) * 60)).AddMilliseconds(r.Next(int.MaxValue)),
        TimeSpan.FromTicks(r.NextInt64(-TimeSpan.TicksPerDay * 30, TimeSpan.TicksPerDay * 30)),
        DateOnly.FromDayNumber(r.Next(1, 3_000_000)),
        TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(r.Next(86400))),
        Math.Round((decimal)(r.NextDouble() * 1e6) - 5e5m, r.Next(6)),
        r.Next(5) == 0 ? double.Epsilon * r.Next(100) : (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-20, 20)),
        r.NextInt64(long.MinValue, long.MaxValue),
        r.Next(2) == 0,
        (char)r.Next(32, 0xD7FF),
        RandomAddress(r),
        r.Next(2) == 0 ? null : RandomAddress(r),
        Enumerable.Range(0, r.Next(5)).Select(_ => r.Next()).ToArray(),
        Enumerable.Range(0, r.Next(3)).Select(_ => RandomAddress(r)).ToList(),
        Enumerable.Range(0, r.Next(3)).Select(_ => RandomString(r)).ToList(),
        Enumerable.Range(0, r.Next(4)).ToDictionary(i => "k" + i + RandomString(r), _ => r.Next(-50, 50)),
        Enumerable.Range(0, r.Next(3)).ToDictionary(i => "s" + i, _ => Enumerable.Range(0, r.Next(3)).Select(_ => Math.Round(r.NextDouble(), 3)).ToList()));

    private static Settings RandomSettings(Random r)
    {
        var settings = new Settings
        {
            Theme = RandomString(r),
            FontSize = r.Next(-10, 100),
            Plugins = Enumerable.Range(0, r.Next(4)).Select(_ => RandomString(r)).ToList(),
            Secret = RandomString(r),
            Zoom = r.Next(2) == 0 ? null : (float)Math.Round(r.NextDouble() * 4, 2),
        };
        for (int i = 0; i < r.Next(3); i++)
        {
            settings.Places["p" + i] = RandomAddress(r);
        }

        return settings;
    }

    private static TreeNode RandomTree(Random r, int depth) => new()
    {
        Label = RandomString(r),
        Children = depth > 3 ? new() : Enumerable.Range(0, r.Next(3)).Select(_ => RandomTree(r, depth + 1)).ToList(),
        Link = depth > 3 || r.Next(3) > 0 ? null : new TreeNode { Label = "link" },
    };
}
