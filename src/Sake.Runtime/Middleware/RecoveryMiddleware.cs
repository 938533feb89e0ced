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
        LogRecovered(_logger ?? context.ServerLogger, context.Method, context.Path, e);

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

    [LoggerMessage(100, LogLevel.Error, "Recovered from an exception in {Method} {Path}.")]
    private static partial void LogRecovered(ILogger logger, string method, string path, Exception e);
}
