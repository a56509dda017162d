using System.Security.Cryptography;
using System.Text;
using Ferry.Storage.Blobs;

namespace Ferry.Storage.Tests.Blobs;

public sealed class FileBlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-blobs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Put_SameBytesTwice_StoresOneFileUnderItsDigest()
    {
        var store = new FileBlobStore(_root);
        var bytes = Encoding.UTF8.GetBytes("model bytes");

        var first = await store.PutAsync(new MemoryStream(bytes), CancellationToken.None);
        var second = await store.PutAsync(new MemoryStream(bytes), CancellationToken.None);

        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(expected, first.Digest);
        Assert.Equal(first, second);
        Assert.Equal(bytes.Length, first.SizeBytes);
        Assert.Equal(Path.Combine(_root, "sha256", expected[..2], expected[2..]), store.PathOf(expected));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task OpenRead_OfAnIntactBlob_ReturnsItsBytes()
    {
        var store = new FileBlobStore(_root);
        var blob = await store.PutAsync(new MemoryStream([1, 2, 3]), CancellationToken.None);

        await using var read = await store.OpenReadAsync(blob.Digest, CancellationToken.None);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal([1, 2, 3], copy.ToArray());
    }

    [Fact]
    public async Task OpenRead_OfABlobChangedOnDisk_FailsNamingTheDigest()
    {
        var store = new FileBlobStore(_root);
        var blob = await store.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("the real model")), CancellationToken.None);
        await File.WriteAllTextAsync(store.PathOf(blob.Digest), "the real modeL");

        await using var read = await store.OpenReadAsync(blob.Digest, CancellationToken.None);
        var e = await Assert.ThrowsAsync<FerryException>(() => read.CopyToAsync(Stream.Null));

        Assert.Equal(ErrorCode.Internal, e.Code);
        Assert.Contains($"blob {blob.Digest} is corrupt", e.Message);
    }

    [Fact]
    public async Task Delete_RemovesTheBlobAndLaterReadsAreNotFound()
    {
        var store = new FileBlobStore(_root);
        var blob = await store.PutAsync(new MemoryStream([9]), CancellationToken.None);

        Assert.True(await store.DeleteAsync(blob.Digest, CancellationToken.None));
        Assert.False(await store.DeleteAsync(blob.Digest, CancellationToken.None));
        Assert.False(await store.ExistsAsync(blob.Digest, CancellationToken.None));
        var e = await Assert.ThrowsAsync<FerryException>(() => store.OpenReadAsync(blob.Digest, CancellationToken.None));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("abc")]
    public async Task OpenRead_WithSomethingThatIsNotADigest_IsInvalidArgument(string digest)
    {
        var store = new FileBlobStore(_root);

        var e = await Assert.ThrowsAsync<FerryException>(() => store.OpenReadAsync(digest, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
    }
}
