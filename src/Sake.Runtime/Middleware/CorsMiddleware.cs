using System.Globalization;

namespace Sake;

/// <summary>
/// Fetch-standard CORS. A preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered here
/// with 204 and the chain stops; other cross-origin requests get the allow headers and continue. A disallowed
/// origin gets no CORS headers, so the browser blocks the response (ASP.NET Core behaves the same).
/// </summary>
internal sealed class CorsMiddleware
{
    private readonly CorsOptions _options;
    private readonly HashSet<string>? _origins;
    private readonly string _methods;
    private readonly string? _headers;
    private readonly string? _exposed;
    private readonly string? _maxAge;

    public CorsMiddleware(CorsOptions options)
    {
        if (options.AllowCredentials && options.AllowedOrigins is not { Count: > 0 })
        {
            // Echoing every origin with credentials lets any site read authenticated responses (ASP.NET Core refuses too).
            throw new ArgumentException("CorsOptions.AllowCredentials requires an explicit AllowedOrigins list.", nameof(options));
        }

        _options = options;
        _origins = options.AllowedOrigins is { Count: > 0 } list ? new HashSet<string>(list, StringComparer.OrdinalIgnoreCase) : null;
        _methods = string.Join(", ", options.AllowedMethods);
        _headers = options.AllowedHeaders is null ? null : string.Join(", ", options.AllowedHeaders);
        _exposed = options.ExposedHeaders is { Count: > 0 } e ? string.Join(", ", e) : null;
        _maxAge = options.MaxAge is { } age ? ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null;
    }

    public ValueTask InvokeAsync(Context context)
    {
        var origin = context.Header("Origin");
        if (origin is null)
        {
            return default;
        }

        bool allowed = _origins is null || _origins.Contains(origin);
        if (_origins is not null && !allowed)
        {
            // The answer depends on Origin, so caches must key on it even when the origin is refused.
            context.AddHeader("Vary", "Origin");
        }

        bool preflight = context.Method == "OPTIONS" && context.Header("Access-Control-Request-Method") is not null;
        if (allowed)
        {
            bool echo = _origins is not null || _options.AllowCredentials;
            context.SetHeader("Access-Control-Allow-Origin", echo ? origin : "*");
            if (echo)
            {
                context.AddHeader("Vary", "Origin");
            }

            if (_options.AllowCredentials)
            {
                context.SetHeader("Access-Control-Allow-Credentials", "true");
            }
        }

        if (preflight)
        {
            if (allowed)
            {
                context.SetHeader("Access-Control-Allow-Methods", _methods);
                var requested = context.Header("Access-Control-Request-Headers");
                var headers = _headers ?? requested;
                if (!string.IsNullOrEmpty(headers))
                {
                    context.SetHeader("Access-Control-Allow-Headers", headers);
                }

                if (_maxAge is not null)
                {
                    context.SetHeader("Access-Control-Max-Age", _maxAge);
                }
            }

            context.AbortWithStatus(204);
            return default;
        }

        if (allowed && _exposed is not null)
        {
            context.SetHeader("Access-Control-Expose-Headers", _exposed);
        }

        return default;
    }
}
