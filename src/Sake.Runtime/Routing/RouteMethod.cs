namespace Sake.Routing;

/// <summary>The HTTP methods a route can be registered for. Values index per-method tables.</summary>
internal enum RouteMethod : byte
{
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}

/// <summary>Conversions between <see cref="RouteMethod"/> and its wire form.</summary>
internal static class RouteMethods
{
    /// <summary>Number of <see cref="RouteMethod"/> values; sizes per-method arrays.</summary>
    public const int Count = 7;

    /// <summary>The upper-case token as it appears on the request line, e.g. "GET".</summary>
    public static string ToName(RouteMethod method) => method switch
    {
        RouteMethod.Get => "GET",
        RouteMethod.Post => "POST",
        RouteMethod.Put => "PUT",
        RouteMethod.Delete => "DELETE",
        RouteMethod.Patch => "PATCH",
        RouteMethod.Head => "HEAD",
        RouteMethod.Options => "OPTIONS",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown route method."),
    };

    /// <summary>
    /// Parses a method token from the request line. Exact and case-sensitive: RFC 9110 defines
    /// method names as case-sensitive, so "get" is a different (unsupported) method.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> asciiMethod, out RouteMethod method)
    {
        // Dispatch on length first so each candidate costs one vectorised compare at most.
        switch (asciiMethod.Length)
        {
            case 3:
                if (asciiMethod.SequenceEqual("GET"u8)) { method = RouteMethod.Get; return true; }
                if (asciiMethod.SequenceEqual("PUT"u8)) { method = RouteMethod.Put; return true; }
                break;
            case 4:
                if (asciiMethod.SequenceEqual("POST"u8)) { method = RouteMethod.Post; return true; }
                if (asciiMethod.SequenceEqual("HEAD"u8)) { method = RouteMethod.Head; return true; }
                break;
            case 5:
                if (asciiMethod.SequenceEqual("PATCH"u8)) { method = RouteMethod.Patch; return true; }
                break;
            case 6:
                if (asciiMethod.SequenceEqual("DELETE"u8)) { method = RouteMethod.Delete; return true; }
                break;
            case 7:
                if (asciiMethod.SequenceEqual("OPTIONS"u8)) { method = RouteMethod.Options; return true; }
                break;
        }

        method = default;
        return false;
    }
}
