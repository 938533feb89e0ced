using System.Text;
using Sake.Hosting;
using Sake.Http;

namespace Sake.Workers;

/// <summary>The request side of a <see cref="Context"/> running on a worker: everything comes from the JSON payload.</summary>
internal sealed class WorkerRequestHost : IRequestHost
{
    private WorkerContext _request = new();
    private byte[] _body = [];
    private byte[]? _query;

    public WorkerRequestHost(HttpServer server) => Server = server;

    public HttpServer Server { get; }

    public bool InWorkerPool => true;

    /// <summary>A worker buffers the whole response; it reaches the client after the handler returns.</summary>
    public bool ResponseStarted => false;

    public void Load(WorkerContext request)
    {
        _request = request;
        _body = WorkerCodec.RequestBody(request);
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

    public string? GetHeader(string name)
    {
        string? result = null;
        foreach (var h in _request.Headers)
        {
            if (string.Equals(h[0], name, StringComparison.OrdinalIgnoreCase))
            {
                result = result is null ? h[1] : result + ", " + h[1];
            }
        }

        return result;
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetAllHeaders()
    {
        var list = new List<KeyValuePair<string, string>>(_request.Headers.Count);
        foreach (var h in _request.Headers)
        {
            list.Add(new(h[0], h[1]));
        }

        return list;
    }

    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync() => new(_body);

    /// <summary>Streaming cannot cross the boundary: the chunks are buffered and sent as one response.</summary>
    public ValueTask WriteStreamingAsync(Context context, ReadOnlyMemory<byte> data)
    {
        context.AppendBody(data.Span);
        return default;
    }
}
