namespace Ferry.Examples;

/// <summary>
/// A deterministic synthetic table of taxi trips, so the example model trains on a clean machine without
/// network or files. The same seed gives the same rows on every machine and .NET version.
/// </summary>
/// <remarks>
/// The fare follows a common city tariff: a 3.00 flag fall, 1.70 per km, 0.35 per minute of the trip
/// (traffic), 1.00 per passenger beyond the first; then a tip-and-rounding noise of up to ±8 %. Distances
/// are skewed short (most trips are under 10 km, a few airport runs reach 40 km) and durations follow
/// distance at 18–40 km/h.
/// </remarks>
public static class TaxiTrips
{
    public const int DefaultSeed = 20240611;

    public static IReadOnlyList<PaidTaxiTrip> Generate(int count, int seed = DefaultSeed)
    {
        // Random(int) keeps its legacy, documented-stable algorithm when seeded, unlike the unseeded one.
        var random = new Random(seed);
        var trips = new PaidTaxiTrip[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var distance = 0.5 + (39.5 * u * u * u);
            var speedKmh = 18 + (22 * random.NextDouble());
            var duration = distance / speedKmh * 60;
            var passengers = 1 + (random.NextDouble() < 0.7 ? 0 : random.Next(1, 4));
            var fare = 3.00 + (1.70 * distance) + (0.35 * duration) + (1.00 * (passengers - 1));
            fare *= 1 + (0.08 * ((2 * random.NextDouble()) - 1));
            trips[i] = new PaidTaxiTrip
            {
                DistanceKm = (float)Math.Round(distance, 1),
                DurationMin = (float)Math.Round(duration, 0),
                Passengers = passengers,
                Fare = (float)Math.Round(fare, 2),
            };
        }

        return trips;
    }
}
