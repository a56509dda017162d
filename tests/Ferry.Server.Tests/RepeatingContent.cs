using System.Net;

namespace Ferry.Server.Tests;

/// <summary>
/// A large request body made of one small chunk written again and again, so a test can send 100 MB without
/// holding it. With <c>knownLength</c> false it goes out with chunked transfer encoding.
/// </summary>
public sealed class RepeatingContent : HttpContent
{
    private readonly byte[] _chunk;
    private readonly long _length;
    private readonly bool _knownLength;

    public RepeatingContent(long length, bool knownLength, byte fill = (byte)' ')
    {
        _chunk = new byte[64 * 1024];
        Array.Fill(_chunk, fill);
        _length = length;
        _knownLength = knownLength;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var sent = 0L; sent < _length; sent += _chunk.Length)
        {
            await stream.WriteAsync(_chunk.AsMemory(0, (int)Math.Min(_chunk.Length, _length - sent)), cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return _knownLength;
    }
}
