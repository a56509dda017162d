using System.Globalization;
using Ferry.Examples;

namespace Ferry.Cli.Commands;

/// <summary>The example model <c>ferry serve</c> serves when given no repository.</summary>
public static class ExampleModel
{
    public const string Name = "example";

    /// <summary>
    /// Makes sure <c>&lt;home&gt;/models/example/1/model.onnx</c> exists, training it on first use, and returns
    /// the repository folder. Training needs no network or files: the data is generated (see <see cref="TaxiTrips"/>).
    /// </summary>
    public static async Task<string> EnsureRepositoryAsync(string home, CancellationToken cancellationToken)
    {
        var repository = Path.Combine(home, "models");
        var version = Path.Combine(repository, Name, "1");
        var path = Path.Combine(version, "model.onnx");
        if (File.Exists(path))
        {
            return repository;
        }

        Directory.CreateDirectory(version);
        var (model, report) = await Task.Run(() => FareModel.Train(), cancellationToken);

        // Write beside the target and rename, so a crash never leaves a truncated model that the server would load.
        var temporary = Path.Combine(version, $".model.onnx.{Environment.ProcessId}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                FareModel.ExportOnnx(model, file);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ferry: created the example model {path}: ML.NET FastTree regression of a taxi fare from distance_km, duration_min and passengers (FP32, shape [-1,1] each), trained on {report.TrainRows} generated trips; held-out RMSE {report.RootMeanSquaredError:F2}, R² {report.RSquared:F3}."));
        return repository;
    }
}
