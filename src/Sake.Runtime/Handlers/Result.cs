using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;

namespace Sake;

/// <summary>
/// A handler's answer as a value, for handlers that return rather than write: a status code, optionally a
/// <c>Location</c> and an error message. Generated handler code writes it after the handler returns (a handler may
/// also call <see cref="WriteTo(Context)"/> itself). <see cref="Result{T}"/> adds a JSON body.
/// </summary>
public readonly struct Result
{
    private Result(int statusCode, string? location, string? error)
    {
        StatusCode = statusCode;
        Location = location;
        Error = error;
    }

    /// <summary>The status code (200..599).</summary>
    public int StatusCode { get; }

    /// <summary>The <c>Location</c> header, or null.</summary>
    public string? Location { get; }

    /// <summary>Written as the server's JSON error body (<c>{"error": …}</c>) when not null.</summary>
    public string? Error { get; }

    /// <summary>200 with an empty body.</summary>
    /// <returns>The result.</returns>
    public static Result Ok() => new(200, null, null);

    /// <summary>204 No Content.</summary>
    /// <returns>The result.</returns>
    public static Result NoContent() => new(204, null, null);

    /// <summary>202 Accepted, optionally pointing at where the outcome will be.</summary>
    /// <param name="location">The <c>Location</c> header, or null.</param>
    /// <returns>The result.</returns>
    public static Result Accepted(string? location = null) => new(202, location, null);

    /// <summary>404 Not Found, with an optional message.</summary>
    /// <param name="message">The error message, or null for an empty body.</param>
    /// <returns>The result.</returns>
    public static Result NotFound(string? message = null) => new(404, null, message);

    /// <summary>400 Bad Request with a message.</summary>
    /// <param name="message">What was wrong.</param>
    /// <returns>The result.</returns>
    public static Result BadRequest(string message) => new(400, null, message);

    /// <summary>Any status (200..599), with an optional error message.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="message">The error message, or null for an empty body.</param>
    /// <returns>The result.</returns>
    public static Result Status(int statusCode, string? message = null) => new(Checked(statusCode), null, message);

    /// <summary>Writes this answer to <paramref name="ctx"/>'s response.</summary>
    /// <param name="ctx">The request being answered.</param>
    public void WriteTo(Context ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.Status(StatusCode == 0 ? 200 : StatusCode);
        if (Location is not null)
        {
            ctx.SetHeader("Location", Location);
        }

        if (Error is not null)
        {
            ctx.WriteErrorJson(Error);
        }
    }

    internal static int Checked(int statusCode) =>
        (uint)(statusCode - 200) < 400 ? statusCode : throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A response status must be 200..599.");
}

/// <summary>
/// A handler's answer with a JSON body: <c>return order;</c> (200, an implicit conversion),
/// <c>Result&lt;Order&gt;.Created("/orders/7", order)</c>, or a bodiless answer such as
/// <c>Result&lt;Order&gt;.NotFound()</c>. The generator supplies the payload's JSON metadata when it writes it.
/// </summary>
/// <typeparam name="T">The JSON payload type.</typeparam>
public readonly struct Result<T>
{
    private Result(int statusCode, T? value, bool hasValue, string? location, string? error)
    {
        StatusCode = statusCode;
        Value = value;
        HasValue = hasValue;
        Location = location;
        Error = error;
    }

    /// <summary>The status code (200..599).</summary>
    public int StatusCode { get; }

    /// <summary>The payload, written as JSON when <see cref="HasValue"/>.</summary>
    public T? Value { get; }

    /// <summary>True when there is a payload to write.</summary>
    public bool HasValue { get; }

    /// <summary>The <c>Location</c> header, or null.</summary>
    public string? Location { get; }

    /// <summary>Written as the server's JSON error body when not null (and there is no payload).</summary>
    public string? Error { get; }

    /// <summary>200 with <paramref name="value"/> as JSON.</summary>
    /// <param name="value">The payload.</param>
    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>A bodiless <see cref="Result"/> (404, 204, …) as the answer of a handler that returns <see cref="Result{T}"/>.</summary>
    /// <param name="result">The bodiless answer.</param>
    public static implicit operator Result<T>(Result result) => new(result.StatusCode, default, false, result.Location, result.Error);

    /// <summary>200 with <paramref name="value"/> as JSON.</summary>
    /// <param name="value">The payload.</param>
    /// <returns>The result.</returns>
    public static Result<T> Ok(T value) => new(200, value, true, null, null);

    /// <summary>201 Created with a <c>Location</c> and <paramref name="value"/> as JSON.</summary>
    /// <param name="location">Where the new resource is.</param>
    /// <param name="value">The payload.</param>
    /// <returns>The result.</returns>
    public static Result<T> Created(string location, T value) => new(201, value, true, location ?? throw new ArgumentNullException(nameof(location)), null);

    /// <summary>Any status (200..599) with <paramref name="value"/> as JSON.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="value">The payload.</param>
    /// <returns>The result.</returns>
    public static Result<T> Status(int statusCode, T value) => new(Result.Checked(statusCode), value, true, null, null);

    /// <summary>404 Not Found, with an optional message.</summary>
    /// <param name="message">The error message, or null for an empty body.</param>
    /// <returns>The result.</returns>
    public static Result<T> NotFound(string? message = null) => Result.NotFound(message);

    /// <summary>400 Bad Request with a message.</summary>
    /// <param name="message">What was wrong.</param>
    /// <returns>The result.</returns>
    public static Result<T> BadRequest(string message) => Result.BadRequest(message);

    /// <summary>Writes this answer; generated code passes the payload's metadata.</summary>
    /// <param name="ctx">The request being answered.</param>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/>.</param>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public void WriteTo(Context ctx, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ctx.Status(StatusCode == 0 ? 200 : StatusCode);
        if (Location is not null)
        {
            ctx.SetHeader("Location", Location);
        }

        if (HasValue)
        {
            ctx.Json(Value!, typeInfo);
        }
        else if (Error is not null)
        {
            ctx.WriteErrorJson(Error);
        }
    }
}
