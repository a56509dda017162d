using Microsoft.ML.Data;

namespace Ferry.Samples.Training;

/// <summary>One row of vega's seattle-weather.csv: date, precipitation, temp_max, temp_min, wind, weather.</summary>
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
