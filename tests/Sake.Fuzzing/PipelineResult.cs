using System.Text;
using Sake.Http.Rejections;

namespace Sake.Fuzzing;

/// <summary>What one run of <see cref="RequestPipeline"/> over a byte stream produced.</summary>
internal sealed class PipelineResult
{
    public List<PipelineRequest> Requests { get; } = new();

    /// <summary>How the stream ended for the parser.</summary>
    public PipelineEnd End { get; set; }

    /// <summary>Set when <see cref="End"/> is <see cref="PipelineEnd.Rejected"/>.</summary>
    public RejectReason Reason { get; set; }

    /// <summary>
    /// Whether an <see cref="PipelineEnd.Incomplete"/> or <see cref="PipelineEnd.Rejected"/> ending came in a body
    /// (the head was accepted and a handler ran): over a socket that request still gets its one response.
    /// </summary>
    public bool InBody { get; set; }

    /// <summary>With <see cref="InBody"/>: the method of the request whose body ended the stream.</summary>
    public string? BodyMethod { get; set; }

    /// <summary>
    /// The method of a request rejected after its head parsed (body too large, a target that does not canonicalize):
    /// the server knows it then, and answers a HEAD without content (RFC 9110 §9.3.2).
    /// </summary>
    public string? RejectedMethod { get; set; }

    /// <summary>Where the next request would have started: every accepted request's bytes, head and body.</summary>
    public int Consumed { get; set; }

    public int Status => Rejection.Status(Reason);

    /// <summary>
    /// Requests and ending, for comparison. A rejection is compared by status, not reason: which of two limits
    /// trips first may depend on how far the bytes had arrived (431 either way), the status the client sees may not.
    /// </summary>
    public string Describe(bool withBody = true)
    {
        var sb = new StringBuilder();
        foreach (var r in Requests)
        {
            sb.Append(r.Describe(withBody));
        }

        sb.Append(End);
        if (End == PipelineEnd.Rejected)
        {
            sb.Append(' ').Append(Status);
        }
        else
        {
            sb.Append(" consumed=").Append(Consumed);
        }

        return sb.ToString();
    }
}
