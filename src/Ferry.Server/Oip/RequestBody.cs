using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ferry.Server.Oip;

/// <summary>A request body read whole into a pooled buffer, bounded by the configured limit.</summary>
public sealed class RequestBody : IDisposable
{
    /// <summary>
    /// How much of a body past the limit is read and thrown away before answering 413. A client that did not ask
    /// for 100-continue is still sending; closing on it resets the connection and it never reads the answer.
    /// </summary>
    public const long DrainBytes = 128L * 1024 * 1024;

    private byte[] _buffer;

    private RequestBody(byte[] buffer, int offset, int length)
    {
        _buffer = buffer;
        Offset = offset;
        Length = length;
    }

    public int Length { get; }

    /// <summary>Where the body starts in <see cref="Array"/>.</summary>
    public int Offset { get; }

    /// <summary>The pooled buffer holding the body; tensors may view it in place until <see cref="Dispose"/>.</summary>
    public byte[] Array => _buffer;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(Offset, Length);

    /// <param name="alignedFrom">
    /// A position in the body that should land on an 8-byte boundary of the buffer (the binary data after a JSON header
    /// of that length), so that tensors can view their elements in place, aligned; 0 when none.
    /// </param>
    /// <exception cref="FerryException">PayloadTooLarge when the body passes <paramref name="limit"/>.</exception>
    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken, int alignedFrom = 0)
    {
        // Kestrel would stop the body at the limit itself and close the connection; let it run on so it can be drained.
        var drainable = false;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + DrainBytes;
            drainable = true;
        }

        if (request.ContentLength is { } declared && declared > limit)
        {
            // A client waiting for 100-continue has sent nothing and will send nothing: refuse without reading.
            var waiting = request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase);
            if (drainable && !waiting && declared <= limit + DrainBytes)
            {
                var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
                try
                {
                    await DrainAsync(request.Body, scratch, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                }
            }

            throw TooLarge(declared, limit);
        }

        // A managed array's elements start 8-byte aligned, so an offset that makes alignedFrom a multiple of 8 does it.
        var offset = (8 - (alignedFrom & 7)) & 7;
        var capacity = (int)Math.Min(request.ContentLength ?? 16 * 1024, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1) + offset);
        var length = 0;
        try
        {
            while (true)
            {
                if (offset + length == buffer.Length)
                {
                    if (length >= limit)
                    {
                        // One byte more than the limit tells a body at the limit from a larger one.
                        var probe = new byte[1];
                        if (await request.Body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
                        {
                            await DrainAsync(request.Body, buffer, cancellationToken).ConfigureAwait(false);
                            throw TooLarge(null, limit);
                        }

                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)length * 2, limit) + offset);
                    buffer.AsSpan(offset, length).CopyTo(larger.AsSpan(offset));
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(offset + length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(null, limit);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw TooLarge(null, limit);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new RequestBody(buffer, offset, length);
    }

    /// <summary>Reads the rest of the body into <paramref name="scratch"/> and forgets it; Kestrel's raised limit bounds it.</summary>
    private static async Task DrainAsync(Stream body, byte[] scratch, CancellationToken cancellationToken)
    {
        while (await body.ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FerryException TooLarge(long? size, long limit) => new(ErrorCode.PayloadTooLarge,
        $"the request body{(size is { } s ? $" of {s} bytes" : "")} is larger than the limit of {limit} bytes (Ferry:Server:MaxRequestBodyBytes)");
}
