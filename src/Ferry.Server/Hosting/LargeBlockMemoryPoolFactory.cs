using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Ferry.Server.Hosting;

/// <summary>Gives Kestrel (its socket transport and HTTP/1.1 and HTTP/2 connections) <see cref="LargeBlockMemoryPool"/>s.</summary>
public sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
