using Microsoft.ML.Data;

namespace Ferry.Samples.Training;

/// <summary>The model's inputs only, so the exported ONNX graph asks for no label.</summary>
public sealed class WeatherFeatures
{
    [ColumnName("precipitation")]
    public float Precipitation { get; set; }

    [ColumnName("temp_min")]
    public float TempMin { get; set; }

    [ColumnName("wind")]
    public float Wind { get; set; }
}
