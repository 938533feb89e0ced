using System.Globalization;
using System.Net;

namespace Sake;

/// <summary>
/// Parses the listen URL given to <see cref="SakeApp.Run"/> and <see cref="SakeApp.StartAsync"/>:
/// <c>http://HOST[:PORT][/]</c> where HOST is an IPv4 address, a bracketed IPv6 address, <c>localhost</c>, or
/// <c>*</c>/<c>+</c>/<c>0.0.0.0</c> for every interface. Hand-written rather than <see cref="System.Uri"/>, whose
/// parser (IDN, canonicalization, ~80 KB of code) would be the largest thing in a NativeAOT HelloWorld after the runtime.
/// </summary>
internal static class ListenUrl
{
    /// <summary>The endpoint to bind, or an <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static IPEndPoint Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string Scheme = "http://";
        ReadOnlySpan<char> rest = url;
        if (!rest.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(url);
        }

        rest = rest[Scheme.Length..];
        if (rest.EndsWith("/"))
        {
            rest = rest[..^1];
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        bool hasPort;
        if (rest.StartsWith("["))
        {
            int close = rest.IndexOf(']');
            if (close < 0)
            {
                throw Invalid(url);
            }

            host = rest[1..close];
            var after = rest[(close + 1)..];
            hasPort = !after.IsEmpty;
            if (hasPort)
            {
                if (after[0] != ':')
                {
                    throw Invalid(url);
                }

                port = after[1..];
            }
        }
        else
        {
            int colon = rest.IndexOf(':');
            hasPort = colon >= 0;
            host = hasPort ? rest[..colon] : rest;
            if (hasPort)
            {
                port = rest[(colon + 1)..];
            }
        }

        if (host.IsEmpty || host.ContainsAny('/', '?', '#') || host.Contains('@'))
        {
            throw Invalid(url);
        }

        int portNumber = 80;
        if (hasPort && (port.IsEmpty || port.Length > 5 || port.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > IPEndPoint.MaxPort))
        {
            throw new ArgumentException($"'{url}' has no valid port: use 0 to 65535 (0 picks a free port).", nameof(url));
        }

        IPAddress address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (host is "*" or "+" or "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new ArgumentException($"Host '{host}' must be an IP address or localhost.", nameof(url));
        }

        return new IPEndPoint(address, portNumber);
    }

    private static ArgumentException Invalid(string url) => new(
        $"'{url}' is not a listen URL like http://127.0.0.1:8080 (https is not supported; terminate TLS in front of Sake).",
        nameof(url));
}
