namespace Sake.Http;

internal enum ConnectionState : byte
{
    /// <summary>Between requests, waiting for the first byte of the next one (keep-alive timeout).</summary>
    Idle,

    /// <summary>Receiving a request head (headers timeout).</summary>
    ReadingHead,

    /// <summary>The handler chain runs (request timeout until the response starts).</summary>
    InHandler,

    /// <summary>A handler waits for body bytes (minimum data rate, plus the request timeout).</summary>
    ReadingBody,

    /// <summary>Response sent and write side shut; discarding input until the client closes.</summary>
    Lingering,

    Closed,
}
