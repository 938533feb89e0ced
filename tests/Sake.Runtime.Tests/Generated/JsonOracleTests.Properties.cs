using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using PropertyCheck = FsCheck.Check;
using PropertyConfig = FsCheck.Config;

namespace Sake.Runtime.Tests.Generated;

/// <summary>
/// The same oracle as the System.Random checks above, driven by FsCheck: explicit generators with hostile values
/// (unicode with lone surrogates and control characters, extreme, subnormal and non-finite numbers, undefined enum
/// values, empty collections, nulls where the declared type does not allow them, nesting past MaxDepth) and
/// shrinking, so a failure reports a minimal counterexample. Where System.Text.Json refuses a value (NaN, too deep)
/// both serializers must refuse it with the same exception type. The seed is fixed: every run checks the same cases.
/// </summary>
public sealed partial class JsonOracleTests
{
    private const int PropertyTests = 200;

    private static readonly FSharpOption<Replay> FixedSeed = FSharpOption<Replay>.Some(new Replay(new Rnd(0x5A4E_2026_1129UL, 0x9E37_79B9_7F4A_7C15UL), FSharpOption<int>.None));

    /// <summary>Only to print a counterexample: named literals for non-finite numbers, strings escaped char by char (lone surrogates survive).</summary>
    private static readonly JsonSerializerOptions Describing = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 1024,
        Converters = { new EscapingStringConverter(), new EscapingCharConverter() },
    };

    [Fact]
    public void ContactsMatchTheReflectionSerializerForFsCheckInstances() => Holds(Generated<Contact>(), ContactGen, ShrinkContact);

    [Fact]
    public void SettingsMatchTheReflectionSerializerForFsCheckInstances() => Holds(Generated<Settings>(), SettingsGen, ShrinkSettings);

    [Fact]
    public void RecursiveTypesMatchTheReflectionSerializerForFsCheckInstances() => Holds(Generated<TreeNode>(), TreeGen, ShrinkTree);

    [Fact]
    public void InventoriesMatchTheReflectionSerializerForFsCheckInstances() => Holds(Generated<Inventory>(), InventoryGen, ShrinkInventory);

    [Fact]
    public void PolymorphicTypesMatchTheReflectionSerializerForFsCheckInstances() => Holds(Generated<Drawing>(), DrawingGen, ShrinkDrawing);

    /// <summary>Checks <see cref="Agree{T}"/> on FsCheck-generated values; a failure throws with the shrunk counterexample.</summary>
    private static void Holds<T>(JsonTypeInfo<T> generated, Gen<T> gen, Func<T, IEnumerable<T>> shrink, int count = PropertyTests)
    {
        Arbitrary<Case<T>> arb = Arb.From(gen.Select(v => new Case<T>(v)), c => shrink(c.Value).Select(v => new Case<T>(v)));
        PropertyConfig config = PropertyConfig.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true).WithReplay(FixedSeed);
        PropertyCheck.One(config, Prop.ForAll(arb, c => Agree(generated, c.Value)));
    }

    /// <summary>
    /// The property: the generated metadata writes what reflection writes (or throws the same exception type), and
    /// reading that JSON back with the generated metadata gives a value whose reflection JSON is the same again.
    /// </summary>
    private static void Agree<T>(JsonTypeInfo<T> generated, T value)
    {
        var (expected, expectedError) = Attempt(() => JsonSerializer.Serialize(value, Reflection));
        var (actual, actualError) = Attempt(() => JsonSerializer.Serialize(value, generated));
        if (expectedError is not null || actualError is not null)
        {
            if (expectedError?.GetType() != actualError?.GetType())
            {
                throw new OracleMismatch($"serializing: reflection gave {Show(expected, expectedError)}, generated metadata gave {Show(actual, actualError)}");
            }

            return;
        }

        if (expected != actual)
        {
            throw new OracleMismatch($"serializing:\n  reflection: {expected}\n  generated:  {actual}");
        }

        var (back, readError) = Attempt(() => JsonSerializer.Deserialize(actual!, generated));
        if (readError is not null)
        {
            var (_, reflectedReadError) = Attempt(() => JsonSerializer.Deserialize<T>(actual!, Reflection));
            throw new OracleMismatch($"reading back {actual} with generated metadata threw {readError.GetType().Name}: {readError.Message}; reflection {(reflectedReadError is null ? "reads it" : "threw " + reflectedReadError.GetType().Name)}");
        }

        var (again, againError) = Attempt(() => JsonSerializer.Serialize(back, Reflection));
        if (again != expected)
        {
            throw new OracleMismatch($"round trip through generated metadata:\n  written: {expected}\n  re-read: {Show(again, againError)}");
        }
    }

    private static (string? Json, Exception? Error) Attempt(Func<string> run)
    {
        try
        {
            return (run(), null);
        }
        catch (Exception e) when (e is not OracleMismatch)
        {
            return (null, e);
        }
    }

    private static (T? Value, Exception? Error) Attempt<T>(Func<T?> run)
    {
        try
        {
            return (run(), null);
        }
        catch (Exception e) when (e is not OracleMismatch)
        {
            return (default, e);
        }
    }

    private static string Show(string? json, Exception? error) => error is null ? json! : $"{error.GetType().FullName} ({error.Message})";

    private sealed class OracleMismatch(string message) : Exception(message);

    /// <summary>A generated value that prints as (escaped) JSON in FsCheck's report, instead of its type name.</summary>
    private sealed class Case<T>(T value)
    {
        public T Value { get; } = value;

        public override string ToString()
        {
            try
            {
                return JsonSerializer.Serialize(Value, Describing);
            }
            catch (Exception e)
            {
                return $"<{typeof(T).Name} not printable: {e.GetType().Name}: {e.Message}>";
            }
        }
    }

    /// <summary>Writes every char outside printable ASCII as a visible \uXXXX, so lone surrogates and controls show in reports.</summary>
    private sealed class EscapingStringConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Escape(value));

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(Escape(value));

        internal static string Escape(string value)
        {
            var text = new StringBuilder(value.Length);
            foreach (char c in value)
            {
                if (c is >= ' ' and <= '~' and not '\\')
                {
                    text.Append(c);
                }
                else
                {
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
            }

            return text.ToString();
        }
    }

    private sealed class EscapingCharConverter : JsonConverter<char>
    {
        public override char Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, char value, JsonSerializerOptions options) => writer.WriteStringValue(EscapingStringConverter.Escape(value.ToString()));
    }

    // ----- Generators -----

    private static Gen<T> Either<T>(params Gen<T>[] gens) => Gen.OneOf(gens);

    private static Gen<T> Rarely<T>(Gen<T> common, T rare) => Gen.Frequency((12, common), (1, Gen.Constant(rare)));

    private static readonly Gen<long> AnyLong =
        Gen.Choose(int.MinValue, int.MaxValue).Two().Select(p => ((long)p.Item1 << 32) | (uint)p.Item2);

    private static readonly Gen<int> Int32s = Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<int>()),
        (2, Gen.Choose(int.MinValue, int.MaxValue)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, 0, -1)));

    private static readonly Gen<long> Int64s = Gen.Frequency(
        (3, AnyLong),
        (2, ArbMap.Default.GeneratorFor<long>()),
        (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, 1L << 53, (1L << 53) + 1)));

    private static readonly Gen<double> Doubles = Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<double>()),
        (3, AnyLong.Select(BitConverter.Int64BitsToDouble)), // every bit pattern: subnormals, NaN payloads, infinities
        (2, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000.0)),
        (2, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, -0.0, 0.1 + 0.2, 1e-300, 1e21, 9007199254740993.0)));

    private static readonly Gen<float> Singles = Gen.Frequency(
        (3, Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle)),
        (2, Gen.Choose(-100_000, 100_000).Select(i => i / 100f)),
        (1, Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon, -0f, 16777217f)));

    private static readonly Gen<decimal> Decimals = Gen.Frequency(
        (3, Gen.Choose(int.MinValue, int.MaxValue).Three().Zip(Gen.Zip(Gen.Elements(true, false), Gen.Choose(0, 28)), (m, s) => new decimal(m.Item1, m.Item2, m.Item3, s.Item1, (byte)s.Item2))),
        (2, Gen.Choose(-1_000_000, 1_000_000).Zip(Gen.Choose(0, 6), (i, s) => new decimal(Math.Abs(i), 0, 0, i < 0, (byte)s))),
        (1, Gen.Elements(decimal.MaxValue, decimal.MinValue, 0m, 1.000m, 0.0000000000000000000000000001m, new decimal(0, 0, 0, true, 5))));

    private static readonly Gen<char> Chars = Gen.Frequency(
        (8, Gen.Choose(0x20, 0x7E)),
        (3, Gen.Choose(0x00, 0x1F)),
        (1, Gen.Choose(0x7F, 0x9F)),
        (3, Gen.Choose(0xD800, 0xDFFF)), // lone surrogates (or, by chance, a pair)
        (3, Gen.Choose(0xA0, 0xFFFF)),
        (2, Gen.Elements<int>('"', '\\', '/', '<', '>', '&', '\'', '+', '`', '\u2028', '\u2029', '\uFEFF', '\uFFFD', '\uFFFF')))
        .Select(i => (char)i);

    private static readonly Gen<string> Pieces = Gen.Frequency(
        (6, Chars.Select(c => c.ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)),
        (1, Gen.Elements("😀", "Zürich", "\r\n", "\\u0000", "</script>")));

    /// <summary>Never null: for dictionary keys.</summary>
    private static readonly Gen<string> Keys = Gen.Frequency(
        (8, Gen.ListOf(Pieces).ScaleSize(s => s / 3).Select(string.Concat)),
        (1, Gen.Elements("", " ", "$id", "$ref", "$type", "$values", "kind", "Name", "name", "NAME")));

    private static readonly Gen<string> Strings = Rarely(Keys, null!);

    private static Gen<List<T>> Lists<T>(Gen<T> item) => Gen.ListOf(item).ScaleSize(s => Math.Min(s / 10, 6)).Select(l => l.ToList());

    private static Gen<Dictionary<TKey, TValue>> Dictionaries<TKey, TValue>(Gen<TKey> key, Gen<TValue> value)
        where TKey : notnull =>
        Lists(Gen.Zip(key, value)).Select(pairs =>
        {
            var map = new Dictionary<TKey, TValue>();
            foreach (var (k, v) in pairs)
            {
                map[k] = v;
            }

            return map;
        });

    private static readonly Gen<Mood> Moods = Gen.Frequency((4, Gen.Elements(Mood.Calm, Mood.Busy, Mood.Away)), (1, Gen.Choose(-3, 40).Select(i => (Mood)i)));

    private static readonly Gen<Guid> Guids = Gen.Frequency(
        (6, Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => new Guid(b.Select(x => (byte)x).ToArray()))),
        (1, Gen.Elements(Guid.Empty, Guid.AllBitsSet)));

    private static Gen<long> Between(long low, long high) => Gen.Frequency(
        (4, low == long.MinValue && high == long.MaxValue ? AnyLong : AnyLong.Select(x => low + (long)((ulong)x % (ulong)(high - low + 1)))),
        (1, Gen.Elements(low, high)));

    private static readonly Gen<DateTime> DateTimes = Between(0, DateTime.MaxValue.Ticks)
        .Zip(Gen.Elements(DateTimeKind.Utc, DateTimeKind.Unspecified), (t, k) => new DateTime(t, k));

    private static readonly Gen<DateTimeOffset> DateTimeOffsets = Gen.Frequency(
        (6, Between(TimeSpan.TicksPerHour * 14, DateTime.MaxValue.Ticks - TimeSpan.TicksPerHour * 14)
            .Zip(Gen.Choose(-14 * 60, 14 * 60), (t, m) => new DateTimeOffset(t, TimeSpan.FromMinutes(m)))),
        (1, Gen.Elements(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch)));

    private static readonly Gen<Address> Addresses =
        from street in Strings
        from city in Strings
        from zip in Rarely(Int32s.Select(i => (int?)i), null)
        select new Address(street, city, zip);

    private static readonly Gen<Contact> ContactGen =
        from id in Guids
        from name in Strings
        from mood in Moods
        from previous in Rarely(Moods.Select(m => (Mood?)m), null)
        from created in DateTimes
        from seen in DateTimeOffsets
        from uptime in Between(long.MinValue, long.MaxValue).Select(TimeSpan.FromTicks)
        from born in Between(0, DateOnly.MaxValue.DayNumber).Select(d => DateOnly.FromDayNumber((int)d))
        from alarm in Between(0, TimeSpan.TicksPerDay - 1).Select(t => new TimeOnly(t))
        from balance in Decimals
        from ratio in Doubles
        from big in Int64s
        from active in Gen.Elements(true, false)
        from initial in Chars
        from home in Rarely(Addresses, null!)
        from work in Rarely(Addresses.Select(a => (Address?)a), null)
        from lucky in Lists(Int32s)
        from others in Lists(Rarely(Addresses, null!))
        from nicknames in Lists(Strings).SelectMany(l => Gen.Elements<IReadOnlyList<string>>(l, l.ToArray(), l.AsReadOnly()))
        from counters in Dictionaries(Keys, Int32s)
        from series in Dictionaries(Keys, Rarely(Lists(Doubles), null!))
        select new Contact(id, name, mood, previous, created, seen, uptime, born, alarm, balance, ratio, big, active, initial, home, work, lucky.ToArray(), others, nicknames, counters, series);

    private static readonly Gen<Settings> SettingsGen =
        from theme in Strings
        from secret in Strings
        from plugins in Lists(Strings)
        from fontSize in Int32s
        from zoom in Rarely(Singles.Select(f => (float?)f), null)
        from places in Dictionaries(Keys, Rarely(Addresses, null!))
        select new Settings { Theme = theme, Secret = secret, Plugins = plugins, FontSize = fontSize, Zoom = zoom, Places = places };

    private static Gen<TreeNode> Tree(int size) =>
        size <= 1
            ? Strings.Select(label => new TreeNode { Label = label })
            : from label in Strings
              from children in Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Rarely(Tree(size / 2), null!), n))
              from link in Gen.Frequency((3, Gen.Constant<TreeNode?>(null)), (1, Tree(size / 4).Select(t => (TreeNode?)t)))
              select new TreeNode { Label = label, Children = children.ToList(), Link = link };

    /// <summary>A chain around MaxDepth (64; a child costs two levels, object and array): both must fail, or succeed, alike.</summary>
    private static readonly Gen<TreeNode> DeepChains =
        Gen.Elements(true, false).SelectMany(viaLink => Gen.Choose(viaLink ? 58 : 28, viaLink ? 70 : 36).Select(depth =>
        {
            var node = new TreeNode { Label = "leaf" };
            for (int i = 0; i < depth; i++)
            {
                node = viaLink ? new TreeNode { Label = "l" + i, Link = node } : new TreeNode { Label = "c" + i, Children = [node] };
            }

            return node;
        }));

    private static readonly Gen<TreeNode> TreeGen = Gen.Frequency((12, Gen.Sized(s => Tree(Math.Min(s, 40)))), (1, DeepChains));

    /// <summary>
    /// <see cref="OneDecimalConverter"/> formats with 15 significant digits, so a finite value above ~1.797693134862315E+308
    /// is written as a number that reads back as infinity, which neither serializer can write again: the converter's
    /// own limit, not the metadata's. Non-finite values stay (writing them must throw alike).
    /// </summary>
    private static readonly Gen<double> CelsiusValues = Doubles.Select(d => double.IsFinite(d) && Math.Abs(d) > 1e308 ? d / 10 : d);

    private static readonly Gen<Inventory> InventoryGen =
        from labels in Lists(Strings)
        from stock in Dictionaries(Keys, Int32s).SelectMany(d => Gen.Elements<IReadOnlyDictionary<string, int>>(d, new ReadOnlyDictionary<string, int>(d)))
        from prices in Dictionaries(Keys, Doubles).SelectMany(d => Gen.Elements<IDictionary<string, double>>(d, new SortedDictionary<string, double>(d, StringComparer.Ordinal)))
        from byBin in Dictionaries(Int32s, Strings)
        from byMood in Dictionaries(Moods, Rarely(Lists(Guids), null!))
        from mood in Moods
        from day in Gen.Frequency((4, Gen.Elements(Weekday.Monday, Weekday.Tuesday, Weekday.Sunday)), (1, Gen.Choose(-2, 9).Select(i => (Weekday)i)))
        from celsius in CelsiusValues
        select new Inventory { Labels = labels.ToHashSet(), Stock = stock, Prices = prices, ByBin = byBin, ByMood = byMood, Mood = mood, Day = day, Celsius = celsius };

    private static readonly Gen<ShapeBase> Shapes = Gen.OneOf(
        Gen.Zip(Strings, Doubles).Select(t => (ShapeBase)new CircleShape { Name = t.Item1, Radius = t.Item2 }),
        from name in Strings
        from width in Doubles
        from height in Doubles
        select (ShapeBase)new RectShape { Name = name, Width = width, Height = height });

    private static readonly Gen<Drawing> DrawingGen =
        Gen.Zip(Lists(Rarely(Shapes, null!)), Rarely(Shapes.Select(s => (ShapeBase?)s), null))
            .Select(t => new Drawing { Shapes = t.Item1, Focus = t.Item2 });

    // ----- Shrinkers: one member at a time, collections first -----

    private static IEnumerable<T> Primitive<T>(T value) => ArbMap.Default.ArbFor<T>().Shrinker(value);

    private static IEnumerable<string> ShrinkString(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield break;
        }

        yield return "";
        if (value.Length > 1)
        {
            yield return value[..(value.Length / 2)];
            yield return value[(value.Length / 2)..];
        }

        for (int i = 0; i < value.Length && i < 32; i++)
        {
            yield return value.Remove(i, 1);
        }

        for (int i = 0; i < value.Length && i < 32; i++)
        {
            if (value[i] != 'a')
            {
                yield return value[..i] + "a" + value[(i + 1)..];
            }
        }
    }

    private static IEnumerable<List<T>> ShrinkList<T>(IReadOnlyList<T> list, Func<T, IEnumerable<T>> item)
    {
        if (list.Count == 0)
        {
            yield break;
        }

        yield return [];
        for (int i = 0; i < list.Count; i++)
        {
            var fewer = list.ToList();
            fewer.RemoveAt(i);
            yield return fewer;
        }

        for (int i = 0; i < list.Count; i++)
        {
            foreach (T smaller in item(list[i]))
            {
                var changed = list.ToList();
                changed[i] = smaller;
                yield return changed;
            }
        }
    }

    private static IEnumerable<Dictionary<TKey, TValue>> ShrinkMap<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> map, Func<TValue, IEnumerable<TValue>> value)
        where TKey : notnull =>
        ShrinkList(map.ToList(), p => value(p.Value).Select(v => KeyValuePair.Create(p.Key, v))).Select(l => new Dictionary<TKey, TValue>(l));

    private static IEnumerable<T> None<T>(T value) => [];

    private static IEnumerable<double> ShrinkDouble(double value) => double.IsFinite(value) ? Primitive(value) : [];

    private static IEnumerable<Address> ShrinkAddress(Address? a) => a is null
        ? []
        : ShrinkString(a.Street).Select(s => a with { Street = s })
            .Concat(a.City is null ? [] : ShrinkString(a.City).Select(c => a with { City = c }).Prepend(a with { City = null }))
            .Concat(a.Zip is int zip ? Primitive(zip).Select(z => a with { Zip = z }).Prepend(a with { Zip = null }) : []);

    private static IEnumerable<Contact> ShrinkContact(Contact c) =>
        ShrinkList(c.Others, ShrinkAddress).Select(v => c with { Others = v })
            .Concat(ShrinkList(c.Nicknames, ShrinkString).Select(v => c with { Nicknames = v }))
            .Concat(ShrinkMap(c.Counters, Primitive).Select(v => c with { Counters = v }))
            .Concat(ShrinkMap(c.Series, s => s is null ? [] : ShrinkList(s, ShrinkDouble)).Select(v => c with { Series = v }))
            .Concat(ShrinkList(c.Lucky, Primitive).Select(v => c with { Lucky = v.ToArray() }))
            .Concat(c.Work is null ? [] : ShrinkAddress(c.Work).Prepend(null).Select(v => c with { Work = v }))
            .Concat(ShrinkAddress(c.Home).Select(v => c with { Home = v }))
            .Concat(ShrinkString(c.Name).Select(v => c with { Name = v }))
            .Concat(ShrinkDouble(c.Ratio).Select(v => c with { Ratio = v }))
            .Concat(Primitive(c.Balance).Select(v => c with { Balance = v }))
            .Concat(Primitive(c.Big).Select(v => c with { Big = v }))
            .Concat(c.Previous is null ? [] : [c with { Previous = null }])
            .Concat(c.Mood == Mood.Calm ? [] : [c with { Mood = Mood.Calm }])
            .Concat(c.Initial == 'a' ? [] : [c with { Initial = 'a' }])
            .Concat(c.Id == Guid.Empty ? [] : [c with { Id = Guid.Empty }])
            .Concat(c.Created.Ticks == 0 ? [] : [c with { Created = new DateTime(0, c.Created.Kind) }])
            .Concat(c.Seen == DateTimeOffset.UnixEpoch ? [] : [c with { Seen = DateTimeOffset.UnixEpoch }])
            .Concat(c.Uptime == TimeSpan.Zero ? [] : [c with { Uptime = TimeSpan.Zero }])
            .Concat(c.Born == DateOnly.MinValue ? [] : [c with { Born = DateOnly.MinValue }])
            .Concat(c.Alarm == TimeOnly.MinValue ? [] : [c with { Alarm = TimeOnly.MinValue }]);

    private static Settings Copy(Settings s, List<string>? plugins = null) =>
        new() { Theme = s.Theme, FontSize = s.FontSize, Plugins = plugins ?? s.Plugins, Secret = s.Secret, Places = s.Places, Zoom = s.Zoom };

    private static Settings Edit(Settings s, Action<Settings> edit)
    {
        var copy = Copy(s);
        edit(copy);
        return copy;
    }

    private static IEnumerable<Settings> ShrinkSettings(Settings s) =>
        ShrinkList(s.Plugins, ShrinkString).Select(v => Copy(s, v))
            .Concat(ShrinkMap(s.Places, ShrinkAddress).Select(v => Edit(s, x => x.Places = v)))
            .Concat(ShrinkString(s.Theme).Select(v => Edit(s, x => x.Theme = v)))
            .Concat(ShrinkString(s.Secret).Select(v => Edit(s, x => x.Secret = v)))
            .Concat(Primitive(s.FontSize).Select(v => Edit(s, x => x.FontSize = v)))
            .Concat(s.Zoom is float zoom ? (float.IsFinite(zoom) ? Primitive(zoom) : []).Select(v => (float?)v).Prepend(null).Select(v => Edit(s, x => x.Zoom = v)) : []);

    private static IEnumerable<TreeNode> ShrinkTree(TreeNode? t) => t is null
        ? []
        : t.Children.Where(c => c is not null)
            .Concat(t.Link is null ? [] : [t.Link])
            .Concat(ShrinkList(t.Children, ShrinkTree).Select(v => new TreeNode { Label = t.Label, Children = v, Link = t.Link }))
            .Concat(t.Link is null ? [] : ShrinkTree(t.Link).Prepend(null).Select(v => new TreeNode { Label = t.Label, Children = t.Children, Link = v }))
            .Concat(ShrinkString(t.Label).Select(v => new TreeNode { Label = v, Children = t.Children, Link = t.Link }));

    private static Inventory Edit(Inventory i, Action<Inventory> edit)
    {
        var copy = new Inventory { Labels = i.Labels, Stock = i.Stock, Prices = i.Prices, ByBin = i.ByBin, ByMood = i.ByMood, Mood = i.Mood, Day = i.Day, Celsius = i.Celsius };
        edit(copy);
        return copy;
    }

    private static IEnumerable<Inventory> ShrinkInventory(Inventory i) =>
        ShrinkList(i.Labels.ToList(), ShrinkString).Select(v => Edit(i, x => x.Labels = v.ToHashSet()))
            .Concat(ShrinkMap(i.Stock, Primitive).Select(v => Edit(i, x => x.Stock = v)))
            .Concat(ShrinkMap(i.Prices, ShrinkDouble).Select(v => Edit(i, x => x.Prices = v)))
            .Concat(ShrinkMap(i.ByBin, ShrinkString).Select(v => Edit(i, x => x.ByBin = v)))
            .Concat(ShrinkMap(i.ByMood, g => g is null ? [] : ShrinkList(g, None)).Select(v => Edit(i, x => x.ByMood = v)))
            .Concat(i.Mood == Mood.Calm ? [] : [Edit(i, x => x.Mood = Mood.Calm)])
            .Concat(i.Day == Weekday.Monday ? [] : [Edit(i, x => x.Day = Weekday.Monday)])
            .Concat(ShrinkDouble(i.Celsius).Select(v => Edit(i, x => x.Celsius = v)));

    private static IEnumerable<ShapeBase> ShrinkShape(ShapeBase? shape) => shape switch
    {
        CircleShape c => ShrinkString(c.Name).Select(v => new CircleShape { Name = v, Radius = c.Radius })
            .Concat(ShrinkDouble(c.Radius).Select(v => new CircleShape { Name = c.Name, Radius = v })),
        RectShape r => ShrinkString(r.Name).Select(v => new RectShape { Name = v, Width = r.Width, Height = r.Height })
            .Concat(ShrinkDouble(r.Width).Select(v => new RectShape { Name = r.Name, Width = v, Height = r.Height }))
            .Concat(ShrinkDouble(r.Height).Select(v => new RectShape { Name = r.Name, Width = r.Width, Height = v })),
        _ => [],
    };

    private static IEnumerable<Drawing> ShrinkDrawing(Drawing d) =>
        ShrinkList(d.Shapes, ShrinkShape).Select(v => new Drawing { Shapes = v, Focus = d.Focus })
            .Concat(d.Focus is null ? [] : ShrinkShape(d.Focus).Prepend(null).Select(v => new Drawing { Shapes = d.Shapes, Focus = v }));
}
