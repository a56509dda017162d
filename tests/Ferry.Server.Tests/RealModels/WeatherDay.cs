using Microsoft.ML.Data;

namespace Ferry.Server.Tests.RealModels;

/// <summary>A row of vega's <c>seattle-weather.csv</c> (date, precipitation, temp_max, temp_min, wind, weather), numeric columns only.</summary>
public sealed class WeatherDay
{
    [LoadColumn(1)]
    [ColumnName("precipitation")]
    public float Precipitation { get; set; }

    [LoadColumn(2)]
    [ColumnName("temp_max")]
    public float TempMax { get; set; }

    [LoadColumn(3)]
    [ColumnName("temp_min")]
    public float TempMin { get; set; }

    [LoadColumn(4)]
    [ColumnName("wind")]
    public float Wind { get; set; }
}

/// <summary>The model's inputs only: the schema the ONNX export starts from, so the label is not an ONNX input.</summary>
public sealed class WeatherFeatures
{
    [ColumnName("precipitation")]
    public float Precipitation { get; set; }

    [ColumnName("temp_min")]
    public float TempMin { get; set; }

    [ColumnName("wind")]
    public float Wind { get; set; }
}
