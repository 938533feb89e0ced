namespace Sake;

/// <summary>
/// The one handler shape: route handlers, middleware and the code Sake's generator emits all take the request's
/// <see cref="Context"/> and return a <see cref="ValueTask"/> (completed synchronously when they do no I/O, so the
/// common case allocates nothing).
/// </summary>
/// <param name="context">The request and its response.</param>
public delegate ValueTask RequestHandler(Context context);
