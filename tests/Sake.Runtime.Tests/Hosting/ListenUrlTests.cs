using System.Net;

namespace Sake.Runtime.Tests.Hosting;

/// <summary>The listen URL parser that replaced <see cref="Uri"/> in <c>Run</c>/<c>StartAsync</c>.</summary>
public sealed class ListenUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1", 8080)]
    [InlineData("HTTP://127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("http://127.0.0.1", "127.0.0.1", 80)]
    [InlineData("http://127.0.0.1:80", "127.0.0.1", 80)]
    [InlineData("http://localhost:5000", "127.0.0.1", 5000)]
    [InlineData("http://LOCALHOST:5000", "127.0.0.1", 5000)]
    [InlineData("http://*:5000", "0.0.0.0", 5000)]
    [InlineData("http://+:5000", "0.0.0.0", 5000)]
    [InlineData("http://0.0.0.0:65535", "0.0.0.0", 65535)]
    [InlineData("http://[::1]:5000", "::1", 5000)]
    [InlineData("http://[::]:5000/", "::", 5000)]
    [InlineData("http://[::1]", "::1", 80)]
    public void ParsesListenUrls(string url, string address, int port)
    {
        var endPoint = ListenUrl.Parse(url);
        Assert.Equal(IPAddress.Parse(address), endPoint.Address);
        Assert.Equal(port, endPoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("https://127.0.0.1:8443")]
    [InlineData("http://")]
    [InlineData("http://:8080")]
    [InlineData("http://127.0.0.1:8080/api")]
    [InlineData("http://127.0.0.1:8080?x=1")]
    [InlineData("http://user@127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:")]
    [InlineData("http://127.0.0.1:65536")]
    [InlineData("http://127.0.0.1:-1")]
    [InlineData("http://127.0.0.1:+80")]
    [InlineData("http://127.0.0.1:99999999999")]
    [InlineData("http://[::1:8080")]
    [InlineData("http://[::1]x8080")]
    [InlineData("http://example.com:8080")]
    public void RejectsWhatIsNotAListenUrl(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => ListenUrl.Parse(url));
        Assert.Equal("url", e.ParamName);
    }
}
