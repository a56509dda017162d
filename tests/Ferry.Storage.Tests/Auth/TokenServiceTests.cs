using Ferry.Storage.Tests.Fixtures;
using Ferry.Tracking.Auth;

namespace Ferry.Storage.Tests.Auth;

[Collection(StoresCollection.Name)]
public sealed class TokenServiceTests(StoresFixture fixture)
{
    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Create_StoresOnlyTheHashAndTheSecretAuthenticatesUntilRevoked(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tokens = new TokenService(test.Store, test.Time);

        var secret = await tokens.CreateAsync("ci", TokenRole.Writer, CancellationToken.None);
        var stored = (await test.Store.ListTokensAsync(CancellationToken.None)).Single();
        var before = await tokens.AuthenticateAsync(secret, CancellationToken.None);
        Assert.True(await tokens.RevokeAsync("ci", CancellationToken.None));
        var after = await tokens.AuthenticateAsync(secret, CancellationToken.None);

        Assert.StartsWith(TokenService.Prefix, secret);
        Assert.DoesNotContain(secret, stored.Hash);
        Assert.Equal(64, stored.Hash.Length);
        Assert.Equal(("ci", TokenRole.Writer), (before!.Name, before.Role));
        Assert.Null(after);
        Assert.Null(await tokens.AuthenticateAsync(secret + "x", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Create_TwiceWithOneName_IsRefused(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tokens = new TokenService(test.Store, test.Time);
        await tokens.CreateAsync("ci", TokenRole.Reader, CancellationToken.None);

        var e = await Assert.ThrowsAsync<FerryException>(() => tokens.CreateAsync("ci", TokenRole.Admin, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, e.Code);
    }

    [Fact]
    public void Allows_GivesEachRoleTheRightsOfTheRolesBelowIt()
    {
        Assert.True(TokenService.Allows(TokenRole.Admin, TokenRole.Writer));
        Assert.True(TokenService.Allows(TokenRole.Writer, TokenRole.Reader));
        Assert.False(TokenService.Allows(TokenRole.Reader, TokenRole.Writer));
        Assert.False(TokenService.Allows(TokenRole.Writer, TokenRole.Admin));
    }
}
