using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Sake;

internal sealed partial class LoggerMiddleware
{
    private readonly ILogger _logger;

    public LoggerMiddleware(ILogger logger) => _logger = logger;

    public ValueTask InvokeAsync(Context context)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return default;
        }

        long start = Stopwatch.GetTimestamp();
        ValueTask next;
        try
        {
            next = context.Next();
        }
        catch
        {
            // The server (or an outer Recovery) turns the exception into a 500.
            Write(context, start, 500);
            throw;
        }

        if (next.IsCompletedSuccessfully)
        {
            Write(context, start);
            return default;
        }

        return AwaitAsync(next, context, start);
    }

    private async ValueTask AwaitAsync(ValueTask next, Context context, long start)
    {
        try
        {
            await next;
        }
        catch
        {
            Write(context, start, 500);
            throw;
        }

        Write(context, start);
    }

    private void Write(Context context, long start, int? status = null) =>
        LogRequest(_logger, LogLevel.Information, context.Method, context.Path, status ?? context.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);

    // The level is an argument so the generator writes a state struct rather than LoggerMessage.Define (see ServerLog).
    [LoggerMessage(EventId = 101, Message = "{Method} {Path} {Status} {ElapsedMs:0.000} ms", SkipEnabledCheck = true)]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int status, double elapsedMs);
}
