namespace Ferry.Monitoring.Stats;

/// <summary>
/// The distributions the drift tests need for p-values. Algorithms: Lanczos log-gamma (g=7, n=9), the regularised
/// incomplete gamma by series / Lentz continued fraction (Numerical Recipes, 3rd ed., §6.2), and Kolmogorov's limiting
/// distribution by its alternating series (the same as <c>scipy.stats.kstwobign</c>).
/// </summary>
public static class SpecialFunctions
{
    private const double Epsilon = 1e-16;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++)
        {
            a += Lanczos[i] / (x + i);
        }

        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    /// <summary>Survival function of the chi-square distribution with <paramref name="dof"/> degrees of freedom.</summary>
    public static double ChiSquareSurvival(double statistic, int dof) =>
        double.IsPositiveInfinity(statistic) ? 0 : statistic <= 0 ? 1 : UpperGamma(dof / 2.0, statistic / 2.0);

    /// <summary>Q(a, x), the regularised upper incomplete gamma function.</summary>
    public static double UpperGamma(double a, double x)
    {
        if (x < a + 1)
        {
            // Series for P(a, x), then Q = 1 - P.
            double sum = 1 / a, term = sum, ap = a;
            for (var n = 0; n < 10_000; n++)
            {
                ap += 1;
                term *= x / ap;
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }

            return 1 - (sum * Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a)));
        }

        // Continued fraction for Q(a, x) (modified Lentz).
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return Math.Exp((-x) + (a * Math.Log(x)) - LogGamma(a)) * h;
    }

    /// <summary>P(K &gt; x) for Kolmogorov's limiting distribution K: 2 Σ (-1)^(k-1) exp(-2k²x²).</summary>
    public static double KolmogorovSurvival(double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        if (x < 0.2)
        {
            // The alternating series converges slowly here; the complementary (theta) form is exact and quick.
            var y = Math.PI * Math.PI / (8 * x * x);
            double cdf = 0;
            for (var k = 1; k < 200; k += 2)
            {
                cdf += Math.Exp(-k * k * y);
            }

            return 1 - (Math.Sqrt(2 * Math.PI) / x * cdf);
        }

        double sum = 0;
        for (var k = 1; k < 200; k++)
        {
            var term = Math.Exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-17)
            {
                break;
            }
        }

        return Math.Clamp(2 * sum, 0, 1);
    }
}
