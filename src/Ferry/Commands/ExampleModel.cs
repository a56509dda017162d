namespace Ferry.Cli.Commands;

/// <summary>The example model <c>ferry serve</c> serves when given no repository.</summary>
public static class ExampleModel
{
    /// <summary>Makes sure <c>&lt;home&gt;/models/example/1/model.onnx</c> exists and returns the repository folder.</summary>
    public static Task<string> EnsureRepositoryAsync(string home, CancellationToken cancellationToken)
    {
        var repository = Path.Combine(home, "models");
        Directory.CreateDirectory(repository);
        return Task.FromResult(repository);
    }
}
