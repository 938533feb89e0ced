using System.Text;
using Sake.Hosting;
using Sake.Http;

namespace Sake.Workers;

/// <summary>The request side of a <see cref="Context"/> running on a worker: everything comes from the JSON payload.</summary>
internal sealed class WorkerRequestHost : IRequestHost
{
    private WorkerContext _request = new();
    private byte[] _body = [];
    private byte[] _headers = [];
    private byte[]? _query;

    public WorkerRequestHost(HttpServer server) => Server = server;

    public HttpServer Server { get; }

    public bool InWorkerPool => true;

    public Sake.Loop.LoopBufferPool? Buffers => null;

    /// <summary>A worker buffers the whole response; it reaches the client after the handler returns.</summary>
    public bool ResponseStarted => false;

    public void Load(WorkerContext request)
    {
        _request = request;
        _body = WorkerCodec.RequestBody(request);
        _headers = request.HeaderBlock ?? [];
        _query = null;
    }

    public string GetRawTarget() => _request.RawTarget;

    public string GetQueryString() => _request.QueryString;

    public string? GetQuery(string name)
    {
        if (_request.QueryString.Length == 0)
        {
            return null;
        }

        _query ??= Encoding.ASCII.GetBytes(_request.QueryString);
        return QueryStringParser.Find(_query, name);
    }

    public ReadOnlySpan<byte> GetRawHeaderBlock() => _headers;

    public string? GetHeader(string name)
    {
        string? result = null;
        ReadOnlySpan<byte> block = _headers;
        while (NextHeader(ref block, out var headerName, out var value))
        {
            if (headerName.Length == name.Length && Ascii.EqualsIgnoreCase(headerName, name))
            {
                string v = Encoding.UTF8.GetString(value);
                result = result is null ? v : result + ", " + v;
            }
        }

        return result;
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetAllHeaders()
    {
        var list = new List<KeyValuePair<string, string>>();
        ReadOnlySpan<byte> block = _headers;
        while (NextHeader(ref block, out var name, out var value))
        {
            list.Add(new(Encoding.ASCII.GetString(name), Encoding.UTF8.GetString(value)));
        }

        return list;
    }

    /// <summary>Splits one "Name: value" line off a block the connection's strict parser already accepted.</summary>
    private static bool NextHeader(ref ReadOnlySpan<byte> block, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        if (block.IsEmpty)
        {
            return false;
        }

        int end = block.IndexOf("\r\n"u8);
        var line = end < 0 ? block : block.Slice(0, end);
        block = end < 0 ? default : block.Slice(end + 2);
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return !block.IsEmpty && NextHeader(ref block, out name, out value);
        }

        name = line.Slice(0, colon);
        value = line.Slice(colon + 1).Trim(" \t"u8);
        return true;
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync() => new(_body);

    /// <summary>Streaming cannot cross the boundary: the chunks are buffered and sent as one response.</summary>
    public ValueTask WriteStreamingAsync(Context context, ReadOnlyMemory<byte> data)
    {
        context.AppendBody(data.Span);
        return default;
    }
}
