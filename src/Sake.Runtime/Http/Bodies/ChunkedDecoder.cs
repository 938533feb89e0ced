using Sake.Http.Protocol;
using Sake.Http.Rejections;

namespace Sake.Http.Bodies;

/// <summary>
/// Incremental decoder for the chunked transfer coding (RFC 9112 §7.1). It consumes what it can from the input
/// and says how much it consumed, so chunk framing split across reads at any byte works. Strict: hex digits
/// only, no overflow, extensions held to the §7.1.1 grammar and capped, CRLF exactly after data, trailers parsed
/// like header fields and discarded (framing and routing fields refused, RFC 9110 §6.5.1).
/// </summary>
internal struct ChunkedDecoder
{
    /// <summary>Field names that cannot be trailers (lowercase): they frame or route the message (RFC 9110 §6.5.1).</summary>
    private static readonly byte[][] ForbiddenTrailers = ["content-length"u8.ToArray(), "transfer-encoding"u8.ToArray(), "host"u8.ToArray()];

    private const int AllForbiddenTrailers = (1 << 3) - 1;

    private State _state;
    private Ext _ext;
    private long _chunkRemaining;
    private long _declaredTotal;
    private int _sizeDigits;
    private int _extensionLength;
    private int _trailerLineLength;
    private int _trailerBytes;
    private int _trailerCount;
    private bool _trailerLineHasColon;
    private bool _trailerLineNameDone;
    private int _trailerNameCandidates;

    private enum State : byte
    {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerLineStart,
        TrailerLine,
        TrailerLf,
        FinalLf,
        Done,
    }

    /// <summary>
    /// Where an extension is in chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), with
    /// chunk-ext-val = token / quoted-string (RFC 9112 §7.1.1, RFC 9110 §5.6.4).
    /// </summary>
    private enum Ext : byte
    {
        Invalid,
        BeforeSemicolon,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Token,
        Quoted,
        QuotedPair,
        AfterQuoted,
    }

    public readonly bool IsDone => _state == State.Done;

    public void Reset() => this = default;

    /// <summary>
    /// Decodes from <paramref name="input"/>. Data bytes go to <paramref name="output"/> (or are dropped when
    /// <paramref name="discard"/>). Returns bytes consumed from input; stops early when output is full. The sum of
    /// all chunk sizes is checked against <see cref="Config.MaxRequestBodySize"/> as each size line arrives, so a
    /// body that is being discarded is bounded too.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output, bool discard, out int written, Config limits, out RejectReason error)
    {
        written = 0;
        error = RejectReason.None;
        int i = 0;
        while (i < input.Length && _state != State.Done)
        {
            byte b = input[i];
            switch (_state)
            {
                case State.Size:
                    if (char.IsAsciiHexDigit((char)b))
                    {
                        if (++_sizeDigits > 15)
                        {
                            error = RejectReason.ChunkSizeOverflow;
                            return i;
                        }

                        _chunkRemaining = (_chunkRemaining << 4) | (uint)(b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
                        i++;
                        break;
                    }

                    if (_sizeDigits == 0)
                    {
                        error = RejectReason.InvalidChunkSize;
                        return i;
                    }

                    _declaredTotal += _chunkRemaining;
                    if (_declaredTotal > limits.MaxRequestBodySize)
                    {
                        error = RejectReason.BodyTooLarge;
                        return i;
                    }

                    if (b == (byte)';' || b == HttpBytes.SP || b == HttpBytes.HTAB)
                    {
                        // BWS before ';' is allowed by the grammar; it counts toward the extension limit.
                        _state = State.Extension;
                        _ext = b == (byte)';' ? Ext.BeforeName : Ext.BeforeSemicolon;
                        _extensionLength = 1;
                        i++;
                        break;
                    }

                    if (b == HttpBytes.CR)
                    {
                        _state = State.SizeLf;
                        i++;
                        break;
                    }

                    error = RejectReason.InvalidChunkSize;
                    return i;

                case State.Extension:
                    if (b == HttpBytes.CR && _ext is Ext.Name or Ext.Token or Ext.AfterQuoted)
                    {
                        _state = State.SizeLf;
                        i++;
                        break;
                    }

                    if (++_extensionLength > limits.MaxChunkExtensionLength)
                    {
                        error = RejectReason.ChunkExtensionTooLong;
                        return i;
                    }

                    _ext = NextExtensionState(_ext, b);
                    if (_ext == Ext.Invalid)
                    {
                        error = RejectReason.InvalidChunkExtension;
                        return i;
                    }

                    i++;
                    break;

                case State.SizeLf:
                    if (b != HttpBytes.LF)
                    {
                        error = _extensionLength > 0 ? RejectReason.InvalidChunkExtension : RejectReason.InvalidChunkSize;
                        return i;
                    }

                    i++;
                    _sizeDigits = 0;
                    _extensionLength = 0;
                    _state = _chunkRemaining == 0 ? State.TrailerLineStart : State.Data;
                    break;

                case State.Data:
                {
                    int take = (int)Math.Min(_chunkRemaining, input.Length - i);
                    if (!discard)
                    {
                        take = Math.Min(take, output.Length - written);
                        if (take == 0)
                        {
                            return i;
                        }

                        input.Slice(i, take).CopyTo(output.Slice(written));
                        written += take;
                    }

                    i += take;
                    _chunkRemaining -= take;
                    if (_chunkRemaining == 0)
                    {
                        _state = State.DataCr;
                    }

                    break;
                }

                case State.DataCr:
                    if (b != HttpBytes.CR)
                    {
                        error = RejectReason.MissingChunkDataTerminator;
                        return i;
                    }

                    _state = State.DataLf;
                    i++;
                    break;

                case State.DataLf:
                    if (b != HttpBytes.LF)
                    {
                        error = RejectReason.MissingChunkDataTerminator;
                        return i;
                    }

                    _state = State.Size;
                    i++;
                    break;

                case State.TrailerLineStart:
                    if (b == HttpBytes.CR)
                    {
                        _state = State.FinalLf;
                        i++;
                        break;
                    }

                    if (++_trailerCount > limits.MaxRequestHeaderCount)
                    {
                        error = RejectReason.TooManyHeaders;
                        return i;
                    }

                    _trailerLineLength = 0;
                    _trailerLineHasColon = false;
                    _trailerLineNameDone = false;
                    _trailerNameCandidates = AllForbiddenTrailers;
                    _state = State.TrailerLine;
                    goto case State.TrailerLine;

                case State.TrailerLine:
                    if (++_trailerBytes > limits.MaxRequestHeadersTotalSize)
                    {
                        error = RejectReason.HeadersTooLarge;
                        return i;
                    }

                    if (b == HttpBytes.CR)
                    {
                        if (!_trailerLineHasColon)
                        {
                            error = RejectReason.InvalidTrailer;
                            return i;
                        }

                        _state = State.TrailerLf;
                        i++;
                        break;
                    }

                    if (!_trailerLineNameDone)
                    {
                        if (b == HttpBytes.Colon && _trailerLineLength > 0)
                        {
                            if (IsForbiddenTrailer(_trailerNameCandidates, _trailerLineLength))
                            {
                                error = RejectReason.ForbiddenTrailer;
                                return i;
                            }

                            _trailerLineNameDone = true;
                            _trailerLineHasColon = true;
                        }
                        else if (!HttpChars.Token.Contains(b))
                        {
                            error = RejectReason.InvalidTrailer;
                            return i;
                        }
                        else if (_trailerNameCandidates != 0)
                        {
                            _trailerNameCandidates = MatchForbiddenTrailers(_trailerNameCandidates, _trailerLineLength, b);
                        }
                    }
                    else if (!HttpChars.FieldValue.Contains(b))
                    {
                        error = RejectReason.InvalidTrailer;
                        return i;
                    }

                    _trailerLineLength++;
                    i++;
                    break;

                case State.TrailerLf:
                    if (b != HttpBytes.LF)
                    {
                        error = RejectReason.InvalidTrailer;
                        return i;
                    }

                    _state = State.TrailerLineStart;
                    i++;
                    break;

                case State.FinalLf:
                    if (b != HttpBytes.LF)
                    {
                        error = RejectReason.InvalidTrailer;
                        return i;
                    }

                    _state = State.Done;
                    i++;
                    break;
            }
        }

        return i;
    }

    private static bool IsWhitespace(byte b) => b == HttpBytes.SP || b == HttpBytes.HTAB;

    /// <summary>The extension state after <paramref name="b"/>; CR is handled by the caller (it ends a complete extension).</summary>
    private static Ext NextExtensionState(Ext state, byte b) => state switch
    {
        Ext.BeforeSemicolon => IsWhitespace(b) ? Ext.BeforeSemicolon : b == (byte)';' ? Ext.BeforeName : Ext.Invalid,
        Ext.BeforeName => IsWhitespace(b) ? Ext.BeforeName : HttpChars.Token.Contains(b) ? Ext.Name : Ext.Invalid,
        Ext.Name => HttpChars.Token.Contains(b) ? Ext.Name : AfterName(b),
        Ext.AfterName => AfterName(b),
        Ext.BeforeValue => IsWhitespace(b) ? Ext.BeforeValue : b == (byte)'"' ? Ext.Quoted : HttpChars.Token.Contains(b) ? Ext.Token : Ext.Invalid,
        Ext.Token => HttpChars.Token.Contains(b) ? Ext.Token : AfterValue(b),

        // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text; quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
        Ext.Quoted => b == (byte)'"' ? Ext.AfterQuoted : b == (byte)'\\' ? Ext.QuotedPair : IsQuotedTextByte(b) ? Ext.Quoted : Ext.Invalid,
        Ext.QuotedPair => IsQuotedTextByte(b) ? Ext.Quoted : Ext.Invalid,
        Ext.AfterQuoted => AfterValue(b),
        _ => Ext.Invalid,
    };

    private static Ext AfterName(byte b) =>
        IsWhitespace(b) ? Ext.AfterName : b == (byte)'=' ? Ext.BeforeValue : b == (byte)';' ? Ext.BeforeName : Ext.Invalid;

    private static Ext AfterValue(byte b) =>
        IsWhitespace(b) ? Ext.BeforeSemicolon : b == (byte)';' ? Ext.BeforeName : Ext.Invalid;

    private static bool IsQuotedTextByte(byte b) => b == HttpBytes.HTAB || (b >= 0x20 && b != 0x7F);

    /// <summary>Narrows the forbidden names still matching a trailer name whose byte <paramref name="index"/> is <paramref name="b"/>.</summary>
    private static int MatchForbiddenTrailers(int candidates, int index, byte b)
    {
        byte lower = (byte)(b | 0x20);
        for (int k = 0; k < ForbiddenTrailers.Length; k++)
        {
            var name = ForbiddenTrailers[k];
            if ((candidates & (1 << k)) != 0 && (index >= name.Length || name[index] != lower))
            {
                candidates &= ~(1 << k);
            }
        }

        return candidates;
    }

    private static bool IsForbiddenTrailer(int candidates, int length)
    {
        for (int k = 0; k < ForbiddenTrailers.Length; k++)
        {
            if ((candidates & (1 << k)) != 0 && ForbiddenTrailers[k].Length == length)
            {
                return true;
            }
        }

        return false;
    }
}
