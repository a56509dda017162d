using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ferry.Inference;

/// <summary>
/// Ids for requests that came without one: a random 64-bit prefix drawn once per process, then a 64-bit sequence
/// number, so that the 32-digit form (<c>Guid.ToString("N")</c>) reads as 16 hex digits of process and 16 of count.
/// </summary>
/// <remarks>
/// Not <see cref="Guid.NewGuid"/>: on Linux each call reads 16 bytes from <c>/dev/urandom</c>, one read(2) per logged
/// request, and that system call was most of what logging cost a request (issue #6; bench/monitoring/logsyscalls.sh counted
/// exactly one read per logged request and ~3 µs of system time). Unique within a process by the counter; between
/// processes (replicas, restarts) with the odds of two random 64-bit prefixes meeting.
/// </remarks>
internal static class MadeUpRequestIds
{
    private static readonly ulong Prefix = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long _sequence;

    public static Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Prefix);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)Interlocked.Increment(ref _sequence));
        return new Guid(bytes, bigEndian: true);
    }
}
