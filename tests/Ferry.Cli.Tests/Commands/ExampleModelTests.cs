using Ferry.Cli.Commands;
using Ferry.Examples;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Cli.Tests.Commands;

public sealed class ExampleModelTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-home-").FullName;

    [Fact]
    public async Task EnsureRepository_OnEmptyHome_WritesAnOnnxModelWithTheThreeFeatureInputs()
    {
        var repository = await ExampleModel.EnsureRepositoryAsync(_home, CancellationToken.None);

        var version = Path.Combine(repository, ExampleModel.Name, "1");
        Assert.Equal(["model.onnx"], Directory.GetFiles(version).Select(Path.GetFileName));
        using var session = new InferenceSession(Path.Combine(version, "model.onnx"));
        Assert.Equal(FareModel.Features, session.InputNames);
        Assert.All(session.InputMetadata.Values, input => Assert.Equal([-1, 1], input.Dimensions));
        Assert.Contains("Score.output", session.OutputNames);
    }

    [Fact]
    public async Task EnsureRepository_WhenTheModelExists_LeavesItUntouched()
    {
        var repository = await ExampleModel.EnsureRepositoryAsync(_home, CancellationToken.None);
        var path = Path.Combine(repository, ExampleModel.Name, "1", "model.onnx");
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));

        await ExampleModel.EnsureRepositoryAsync(_home, CancellationToken.None);

        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task EnsureRepository_OnTwoMachines_TrainsTheSameModel()
    {
        var other = Directory.CreateTempSubdirectory("ferry-home-").FullName;
        try
        {
            var first = await ExampleModel.EnsureRepositoryAsync(_home, CancellationToken.None);
            var second = await ExampleModel.EnsureRepositoryAsync(other, CancellationToken.None);

            // The data is generated from a fixed seed, so the README's answer holds on every machine.
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(first, ExampleModel.Name, "1", "model.onnx")),
                await File.ReadAllBytesAsync(Path.Combine(second, ExampleModel.Name, "1", "model.onnx")));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
