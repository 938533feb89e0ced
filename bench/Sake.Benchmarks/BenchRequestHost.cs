using System.Text;
using Sake.Hosting;

namespace Sake.Benchmarks;

/// <summary>
/// The loop side of a request for the codec-only benchmarks, without sockets: like <c>Http/Connection</c> it keeps
/// the header block as the bytes received, which <c>WorkerCodec.SerializeRequest</c> copies into the JSON.
/// </summary>
internal sealed class BenchRequestHost : IRequestHost
{
    private readonly (byte[] Name, byte[] Value)[] _headers;
    private readonly byte[] _body;
    private readonly byte[] _block;

    public BenchRequestHost(IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        _headers = headers.Select(h => (Encoding.ASCII.GetBytes(h.Key), Encoding.UTF8.GetBytes(h.Value))).ToArray();
        _body = body;
        var block = new StringBuilder();
        foreach (var h in headers)
        {
            block.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
        }

        _block = Encoding.UTF8.GetBytes(block.ToString());
    }

    public ReadOnlySpan<byte> GetRawHeaderBlock() => _block;

    /// <summary>Not used by the codec (only logging and configuration go through it).</summary>
    public HttpServer Server => throw new NotSupportedException("The codec benchmarks have no server.");

    public bool InWorkerPool => false;

    /// <summary>No loop here: buffers come from the shared pool.</summary>
    public Sake.Loop.LoopBufferPool? Buffers => null;

    public bool ResponseStarted => false;

    public string GetRawTarget() => "/worker";

    public string GetQueryString() => "";

    public string? GetQuery(string name) => null;

    public string? GetHeader(string name) => null;

    public IReadOnlyList<KeyValuePair<string, string>> GetAllHeaders()
    {
        var list = new List<KeyValuePair<string, string>>(_headers.Length);
        foreach (var (name, value) in _headers)
        {
            list.Add(new(Encoding.ASCII.GetString(name), Encoding.UTF8.GetString(value)));
        }

        return list;
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync() => new(_body);

    public ValueTask WriteStreamingAsync(Context context, ReadOnlyMemory<byte> data) => throw new NotSupportedException();
}
