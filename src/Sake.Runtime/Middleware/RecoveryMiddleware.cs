using Microsoft.Extensions.Logging;

namespace Sake;

internal sealed partial class RecoveryMiddleware
{
    private readonly ILogger? _logger;

    public RecoveryMiddleware(ILogger? logger) => _logger = logger;

    public ValueTask InvokeAsync(Context context)
    {
        ValueTask next;
        try
        {
            next = context.Next();
        }
        catch (Exception e) when (e is not BadRequestException)
        {
            Recover(context, e);
            return default;
        }

        return next.IsCompletedSuccessfully ? default : AwaitAsync(next, context);
    }

    private async ValueTask AwaitAsync(ValueTask next, Context context)
    {
        try
        {
            await next;
        }
        catch (Exception e) when (e is not BadRequestException)
        {
            Recover(context, e);
        }
    }

    private void Recover(Context context, Exception e)
    {
        // Without an explicit logger, Config.LoggerFactory's "Sake" logger gets the error.
        var logger = _logger ?? context.ServerLogger;
        if (logger.IsEnabled(LogLevel.Error))
        {
            LogRecovered(logger, LogLevel.Error, context.Method, context.Path, e);
        }

        context.Abort();
        if (context.ResponseStarted)
        {
            // Headers are on the wire; let the server cut the connection rather than append a second response.
            throw new IOException("The handler failed after the response started.", e);
        }

        context.ResetResponse();
        context.Status(500);
        context.WriteErrorJson(Sake.Http.Connection.ErrorMessage(e, context.DetailedErrors));
    }

    // The level is an argument so the generator writes a state struct rather than LoggerMessage.Define (see ServerLog).
    [LoggerMessage(EventId = 100, Message = "Recovered from an exception in {Method} {Path}.", SkipEnabledCheck = true)]
    private static partial void LogRecovered(ILogger logger, LogLevel level, string method, string path, Exception e);
}
