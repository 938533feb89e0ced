namespace Sake;

/// <summary>Built-in middleware: <c>app.Use(Middleware.Recovery(), Middleware.Logger(log), Middleware.Cors())</c>.</summary>
public static class Middleware
{
    /// <summary>
    /// Turns an exception thrown further down the chain into <c>500</c> with a JSON body, logs it, and stops the
    /// chain. The message is included only when <see cref="Config.DetailedErrors"/> is true. Without it, the
    /// server still answers 500, but Recovery lets you place the boundary (e.g. after logging middleware).
    /// </summary>
    public static RequestHandler Recovery(Microsoft.Extensions.Logging.ILogger? logger = null) => new RecoveryMiddleware(logger).InvokeAsync;

    /// <summary>Logs one line per request (method, path, status, duration in ms) at Information level.</summary>
    public static RequestHandler Logger(Microsoft.Extensions.Logging.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return new LoggerMiddleware(logger).InvokeAsync;
    }

    /// <summary>CORS with a permissive default (any origin, common methods, requested headers) or an allow-list.</summary>
    public static RequestHandler Cors(CorsOptions? options = null) => new CorsMiddleware(options ?? new CorsOptions()).InvokeAsync;
}
