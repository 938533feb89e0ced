namespace Sake.Http.Parsing;

/// <summary>Where one header field sits in the connection's input buffer, relative to the request's first byte.</summary>
internal struct HeaderEntry
{
    public int NameStart;
    public int NameLength;
    public int ValueStart;
    public int ValueLength;
}
