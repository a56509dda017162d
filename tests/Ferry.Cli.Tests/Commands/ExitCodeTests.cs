namespace Ferry.Cli.Tests.Commands;

/// <summary>Exit codes that mean something: 2 for a command line that is wrong, before anything runs.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("deploy", "create", "x", "--model", "m", "--stable", "abc")]
    [InlineData("tokens", "create", "--name", "x", "--role", "god")]
    [InlineData("nosuchcommand")]
    [InlineData("monitor", "alerts", "--output", "yaml")]
    public async Task ACommandLineThatDoesNotParse_Exits2(params string[] args)
    {
        var run = await Models.Ferry.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual("", run.Error);
    }

    [Theory]
    [InlineData("--http-port", "99999")]
    [InlineData("--http-port", "-5")]
    [InlineData("--grpc-port", "70000")]
    [InlineData("--grpc-port", "-2")]
    public async Task Serve_WithAPortOutOfRange_Exits2BeforeStarting(string option, string value)
    {
        var home = Directory.CreateTempSubdirectory("ferry-ports-").FullName;
        try
        {
            var run = await Models.Ferry.RunAsync("serve", "--home", home, option, value);

            Assert.Equal(2, run.ExitCode);
            Assert.False(Directory.Exists(Path.Combine(home, "models")), "nothing is created for a command line that is refused");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Help_Exits0()
    {
        var run = await Models.Ferry.RunAsync("deploy", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("canary", run.Output, StringComparison.Ordinal);
    }
}
