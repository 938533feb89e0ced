namespace Sake;

/// <summary>
/// CORS policy. The default is permissive: any origin (<c>*</c>), the common methods, and whatever headers a
/// preflight asks for. Set <see cref="AllowedOrigins"/> to restrict origins.
/// </summary>
public sealed record CorsOptions
{
    /// <summary>Origins allowed, compared case-insensitively (e.g. "https://app.example"); null or empty allows any.</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    /// <summary>Methods announced in preflight answers.</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];

    /// <summary>Request headers allowed; null echoes what the preflight asks for.</summary>
    public IReadOnlyList<string>? AllowedHeaders { get; init; }

    /// <summary>Response headers exposed to scripts.</summary>
    public IReadOnlyList<string>? ExposedHeaders { get; init; }

    /// <summary>Sends <c>Access-Control-Allow-Credentials: true</c>; the origin is then echoed instead of <c>*</c>.</summary>
    public bool AllowCredentials { get; init; }

    /// <summary>How long browsers may cache a preflight answer; null omits the header.</summary>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromMinutes(10);
}
