using Sake.Routing;

namespace Sake.Runtime.Tests.Routing;

public class RoutePatternTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("users", "must start with '/'")]
    [InlineData("users/{id}", "did you mean \"/users/{id}\"")]
    [InlineData("/a/", "trailing '/' is not allowed")]
    [InlineData("/a/{id}/", "remove it: \"/a/{id}\"")]
    [InlineData("/a//b", "empty segment ('//') at index 2")]
    [InlineData("//", "empty segment")]
    [InlineData("//a", "empty segment ('//') at index 0")]
    [InlineData("/a//", "empty segment ('//') at index 2")]
    [InlineData("/{id", "'{' at index 1 is never closed")]
    [InlineData("/id}", "'}' at index 3 has no matching '{'")]
    [InlineData("/{a{b}}", "'{' at index 3 is inside the parameter opened at index 1")]
    [InlineData("/{a/b}", "'{' at index 1 is not closed before the '/' at index 3")]
    [InlineData("/{}", "empty parameter name")]
    [InlineData("/{*}", "empty parameter name")]
    [InlineData("/{:int}", "empty parameter name")]
    [InlineData("/{1id}", "invalid parameter name '1id'")]
    [InlineData("/{user-id}", "invalid parameter name 'user-id'")]
    [InlineData("/{id x}", "[A-Za-z_][A-Za-z0-9_]*")]
    [InlineData("/{**rest}", "invalid parameter name '*rest'")]
    [InlineData("/{id:integer}", "unknown constraint 'integer' on parameter 'id'")]
    [InlineData("/{id:}", "unknown constraint '' on parameter 'id'")]
    [InlineData("/{id:int:min(1)}", "unknown constraint 'int:min(1)'")]
    [InlineData("/{id:minlength(2)}", "supported: int, long, bool, guid, double, decimal, alpha, datetime")]
    [InlineData("/{id}/{ID}", "parameter name 'ID' is used more than once")]
    [InlineData("/{id}/x/{id:int}", "first use: 'id'")]
    [InlineData("/{id}/{*Id}", "used more than once")]
    [InlineData("/{*rest}/x", "catch-all parameter '{*rest}' must be the last segment")]
    [InlineData("/a/{*rest}/{id}", "must be the last segment")]
    [InlineData("/a{b}", "mixes literal text and a parameter")]
    [InlineData("/{b}a", "mixes literal text and a parameter")]
    [InlineData("/x{b}y", "mixes literal text")]
    [InlineData("/{a}{b}", "two parameters")]
    [InlineData("/{id?}", "optional parameters")]
    [InlineData("/{id=5}", "default values")]
    [InlineData("/{*rest:int}", "cannot have a constraint")]
    [InlineData("/search?q=1", "not the query")]
    [InlineData("/page#top", "'?' or '#'")]
    [InlineData("/a/../b", "dot segment '..'")]
    [InlineData("/./b", "dot segment '.'")]
    public void Parse_rejects_invalid_patterns_with_precise_message(string pattern, string fragment)
    {
        var ex = Assert.Throws<ArgumentException>(() => RoutePattern.Parse(pattern));
        Assert.Contains(fragment, ex.Message);
        Assert.Contains($"\"{pattern}\"", ex.Message);
        Assert.Equal("pattern", ex.ParamName);
    }

    [Fact]
    public void Parse_rejects_null()
    {
        Assert.ThrowsAny<ArgumentException>(() => RoutePattern.Parse(null!));
    }

    [Fact]
    public void Parse_allows_sixteen_parameters_but_not_seventeen()
    {
        string sixteen = string.Concat(Enumerable.Range(0, 16).Select(i => $"/{{p{i}}}"));
        Assert.Equal(16, RoutePattern.Parse(sixteen).ParameterNames.Length);

        var ex = Assert.Throws<ArgumentException>(() => RoutePattern.Parse(sixteen + "/{p16}"));
        Assert.Contains("more than 16 parameters", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => RoutePattern.Parse(sixteen + "/{*rest}"));
        Assert.Contains("more than 16 parameters", ex.Message);
    }

    [Fact]
    public void Root_pattern_has_no_segments()
    {
        var p = RoutePattern.Parse("/");
        Assert.Equal("/", p.Text);
        Assert.Empty(p.Segments);
        Assert.Empty(p.ParameterNames);
    }

    [Fact]
    public void Parse_builds_segments_in_order()
    {
        var p = RoutePattern.Parse("/Users/{id:int}/files/{name}/{*rest}");
        Assert.Equal("/Users/{id:int}/files/{name}/{*rest}", p.Text);
        Assert.Equal("/Users/{id:int}/files/{name}/{*rest}", p.ToString());
        Assert.Equal(
            new[]
            {
                new RouteSegment(RouteSegmentKind.Literal, "Users", "", RouteConstraint.None),
                new RouteSegment(RouteSegmentKind.Parameter, "", "id", RouteConstraint.Int),
                new RouteSegment(RouteSegmentKind.Literal, "files", "", RouteConstraint.None),
                new RouteSegment(RouteSegmentKind.Parameter, "", "name", RouteConstraint.None),
                new RouteSegment(RouteSegmentKind.CatchAll, "", "rest", RouteConstraint.None),
            },
            p.Segments);
        Assert.Equal(new[] { "id", "name", "rest" }, p.ParameterNames);
    }

    [Theory]
    [InlineData("int", "Int")]
    [InlineData("long", "Long")]
    [InlineData("bool", "Bool")]
    [InlineData("guid", "Guid")]
    [InlineData("double", "Double")]
    [InlineData("decimal", "Decimal")]
    [InlineData("alpha", "Alpha")]
    [InlineData("datetime", "DateTime")]
    [InlineData("INT", "Int")]
    [InlineData("DateTime", "DateTime")]
    public void Parse_reads_every_constraint(string name, string expectedName)
    {
        var expected = Enum.Parse<RouteConstraint>(expectedName);
        var p = RoutePattern.Parse($"/x/{{v:{name}}}");
        Assert.Equal(expected, p.Segments[1].Constraint);
        Assert.Equal(RouteSegmentKind.Parameter, p.Segments[1].Kind);
    }

    [Theory]
    [InlineData("/{_}")]
    [InlineData("/{_id2}")]
    [InlineData("/{Id}")]
    [InlineData("/a.b/c-d/~e")]
    [InlineData("/{*path}")]
    [InlineData("/a*b")]
    public void Parse_accepts_valid_patterns(string pattern)
    {
        Assert.Equal(pattern, RoutePattern.Parse(pattern).Text);
    }

    [Theory]
    [InlineData("/a/{x}", "/A/{y}")]
    [InlineData("/a/{x:int}/b", "/a/{other:INT}/B")]
    [InlineData("/files/{*rest}", "/FILES/{*path}")]
    [InlineData("/", "/")]
    public void Equivalent_patterns(string a, string b)
    {
        Assert.True(RoutePattern.Parse(a).IsEquivalentTo(RoutePattern.Parse(b)));
        Assert.True(RoutePattern.Parse(b).IsEquivalentTo(RoutePattern.Parse(a)));
    }

    [Theory]
    [InlineData("/a/{x}", "/a/{x:int}")]
    [InlineData("/a/{x:int}", "/a/{x:long}")]
    [InlineData("/a/{x}", "/a/x")]
    [InlineData("/a/{x}", "/a/{*x}")]
    [InlineData("/a/{x}", "/a/{x}/b")]
    [InlineData("/a", "/b")]
    [InlineData("/", "/a")]
    public void Non_equivalent_patterns(string a, string b)
    {
        Assert.False(RoutePattern.Parse(a).IsEquivalentTo(RoutePattern.Parse(b)));
        Assert.False(RoutePattern.Parse(b).IsEquivalentTo(RoutePattern.Parse(a)));
    }
}
