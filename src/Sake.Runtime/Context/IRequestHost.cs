using Sake.Hosting;

namespace Sake;

/// <summary>
/// Where a <see cref="Context"/> gets its request from and sends its response to: a live connection on the loop,
/// or a request that crossed into a worker as JSON. Handler code sees no difference.
/// </summary>
internal interface IRequestHost
{
    HttpServer Server { get; }

    bool InWorkerPool { get; }

    /// <summary>Where the context's response buffer comes from: the loop's free list, or null (shared pool) on workers.</summary>
    Sake.Loop.LoopBufferPool? Buffers { get; }

    bool ResponseStarted { get; }

    string GetRawTarget();

    string GetQueryString();

    string? GetQuery(string name);

    string? GetHeader(string name);

    IReadOnlyList<KeyValuePair<string, string>> GetAllHeaders();

    /// <summary>The header lines as received ("Name: value\r\n" …), for the worker boundary.</summary>
    ReadOnlySpan<byte> GetRawHeaderBlock();

    ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync();

    ValueTask WriteStreamingAsync(Context context, ReadOnlyMemory<byte> data);
}
