using Microsoft.ML.Data;

namespace Ferry.Examples;

/// <summary>
/// One taxi trip as the example model sees it. The column names become the ONNX input names, so they are
/// spelled for a curl request.
/// </summary>
public class TaxiTrip
{
    [ColumnName("distance_km")]
    public float DistanceKm { get; set; }

    [ColumnName("duration_min")]
    public float DurationMin { get; set; }

    [ColumnName("passengers")]
    public float Passengers { get; set; }
}

/// <summary>A trip with the fare paid: a training row.</summary>
public sealed class PaidTaxiTrip : TaxiTrip
{
    [ColumnName("fare")]
    public float Fare { get; set; }
}
