using Ferry.Batch.Models;
using Ferry.Inference.Models;
using Ferry.Tests;

namespace Ferry.Batch.Tests;

/// <summary>A temporary folder with a model repository holding the test models; deleted on dispose.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Root = Directory.CreateTempSubdirectory("ferry-batch-").FullName;
        Repository = Path.Combine(Root, "models");

        // sum = a + b and product = a * b over [N,1] floats: the outputs are easy to check row by row.
        OnnxModelBuilder.AddFloats(width: 1).WriteTo(Repository, "adder");

        // An INT64 input, which cannot take NaN or a missing value.
        new OnnxModelBuilder().Input("n", DataType.Int64, null, 1).Output("m", DataType.Int64, null, 1).Node("Identity", ["n"], ["m"]).WriteTo(Repository, "ints");
    }

    public string Root { get; }

    public string Repository { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Root, name);

    public BatchRunner Runner(IBatchRunObserver? observer = null) =>
        new(new RepositoryModelResolver(new ModelRepository([Repository])), observer);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
