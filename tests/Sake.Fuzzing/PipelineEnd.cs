namespace Sake.Fuzzing;

/// <summary>How a byte stream ended for <see cref="RequestPipeline"/>.</summary>
internal enum PipelineEnd
{
    /// <summary>The input ended between requests (only empty lines, if anything, after the last one).</summary>
    Clean,

    /// <summary>The input ended inside a head or a body: the connection would wait for more, then time out.</summary>
    Incomplete,

    /// <summary>A request without keep-alive was accepted: the connection closes, later bytes are never read.</summary>
    Closed,

    /// <summary>A request was refused; the connection answers once and closes.</summary>
    Rejected,
}
