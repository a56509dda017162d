using Ferry.Monitoring.Stats;

namespace Ferry.Delivery.Statistics;

/// <summary>
/// Cumulative distribution functions for the experiment tests: the standard normal, Student's t and chi-square.
/// </summary>
/// <remarks>
/// The normal CDF is written through the regularised incomplete gamma, erfc(x) = Q(½, x²), which is accurate in the
/// tails where 1 - erf(x) would cancel. Student's t uses the regularised incomplete beta I_x(a, b) by its continued
/// fraction (Numerical Recipes, 3rd ed., §6.4, modified Lentz). Chi-square reuses
/// <see cref="SpecialFunctions.ChiSquareSurvival"/>.
/// </remarks>
public static class Distributions
{
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;

    /// <summary>Φ(z), P(Z ≤ z) for a standard normal Z.</summary>
    public static double NormalCdf(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        var tail = 0.5 * SpecialFunctions.UpperGamma(0.5, z * z / 2);
        return z < 0 ? tail : 1 - tail;
    }

    /// <summary>P(|Z| ≥ |z|): the two-sided p-value of a z statistic, computed from the tail so it keeps its digits.</summary>
    public static double NormalTwoSided(double z) =>
        double.IsNaN(z) ? double.NaN : z == 0 ? 1 : Math.Min(1, SpecialFunctions.UpperGamma(0.5, z * z / 2));

    /// <summary>P(T ≤ t) for Student's t with <paramref name="dof"/> (real, &gt; 0) degrees of freedom.</summary>
    public static double StudentTCdf(double t, double dof)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dof);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        var tail = 0.5 * IncompleteBeta(dof / 2, 0.5, dof / (dof + (t * t)));
        return t < 0 ? tail : 1 - tail;
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with <paramref name="dof"/> degrees of freedom.</summary>
    public static double StudentTTwoSided(double t, double dof)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dof);
        return double.IsNaN(t) ? double.NaN : Math.Min(1, IncompleteBeta(dof / 2, 0.5, dof / (dof + (t * t))));
    }

    /// <summary>P(X ≥ x) for chi-square with <paramref name="dof"/> degrees of freedom.</summary>
    public static double ChiSquareSurvival(double x, int dof) => SpecialFunctions.ChiSquareSurvival(x, dof);

    /// <summary>I_x(a, b), the regularised incomplete beta function, for a, b &gt; 0 and 0 ≤ x ≤ 1.</summary>
    public static double IncompleteBeta(double a, double b, double x)
    {
        if (a <= 0 || b <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "a and b must be positive");
        }

        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(
            SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(a) - SpecialFunctions.LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));

        // The continued fraction converges quickly for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        return x < (a + 1) / (a + b + 2)
            ? front * BetaFraction(a, b, x) / a
            : 1 - (front * BetaFraction(b, a, 1 - x) / b);
    }

    private static double BetaFraction(double a, double b, double x)
    {
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m < 10_000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }
}
