using System.Runtime.CompilerServices;

namespace Sake;

public sealed partial class Context
{
    private RequestHandler[] _chain = [];
    private int _index;
    private bool _aborted;

    /// <summary>True once <see cref="Abort"/> (or one of its variants) stopped the chain.</summary>
    public bool IsAborted => _aborted;

    /// <summary>
    /// Runs the rest of the chain (middleware after this one, then the handler) and completes when they have.
    /// Code after <c>await ctx.Next()</c> runs after the handler, on the loop. A middleware that does not call
    /// <see cref="Next"/> still lets the chain continue after it returns; only <see cref="Abort"/> stops it.
    /// </summary>
    public ValueTask Next()
    {
        var chain = _chain;
        while (++_index < chain.Length)
        {
            if (_aborted)
            {
                return default;
            }

            var pending = chain[_index](this);
            if (!pending.IsCompletedSuccessfully)
            {
                return AwaitThenContinue(pending);
            }
        }

        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitThenContinue(ValueTask pending)
    {
        await pending;
        await Next();
    }

    /// <summary>Stops the chain: handlers after the current one do not run. The response is kept as it is.</summary>
    public void Abort() => _aborted = true;

    /// <summary>Stops the chain and answers <paramref name="statusCode"/> with an empty body.</summary>
    public void AbortWithStatus(int statusCode)
    {
        Status(statusCode);
        ClearBody();
        _aborted = true;
    }

    /// <summary>Stops the chain and answers <paramref name="statusCode"/> with <c>{"error": message}</c>.</summary>
    public void AbortWithError(int statusCode, string message)
    {
        Status(statusCode);
        WriteErrorJson(message);
        _aborted = true;
    }
}
