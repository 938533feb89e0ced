namespace Sake.Http.Parsing;

/// <summary>
/// Methods the server knows; anything else that is a valid token is <see cref="Other"/> (answered 501). The first
/// seven values are in <see cref="Sake.Routing.RouteMethod"/>'s order, so routable methods convert by cast.
/// </summary>
internal enum HttpMethodKind : byte
{
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
    Connect,
    Other,
}
