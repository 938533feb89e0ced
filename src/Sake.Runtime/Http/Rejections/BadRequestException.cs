using Sake.Http.Rejections;

namespace Sake;

/// <summary>
/// Thrown out of body reads when the body itself is malformed, too large or too slow. Handlers normally let it
/// propagate: the connection turns it into the matching status and closes.
/// </summary>
public sealed class BadRequestException : Exception
{
    internal BadRequestException(RejectReason reason)
        : base(Rejection.Message(reason))
    {
        Reason = reason;
    }

    internal RejectReason Reason { get; }

    /// <summary>The HTTP status the server answers with.</summary>
    public int StatusCode => Rejection.Status(Reason);
}
