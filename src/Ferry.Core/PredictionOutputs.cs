namespace Ferry;

/// <summary>
/// Which output of a model holds its prediction when nobody names one: the output a deployment's live statistics, the
/// shadow comparison, the evaluation gate and the performance measured from labels all follow.
/// </summary>
/// <remarks>
/// Exporters do not put the prediction first. ML.NET's ONNX export answers every column of its pipeline in order: the
/// inputs passed through (<c>distance_km.output</c>), the feature vector, then <c>Score.output</c> (and, for a
/// classifier, <c>PredictedLabel.output</c> and <c>Probability.output</c>); taking the first output would follow an
/// input. skl2onnx names its classifier outputs <c>output_label</c> and <c>output_probability</c>, and its regressor's
/// <c>variable</c>.
/// </remarks>
public static class PredictionOutputs
{
    /// <summary>What names say, in order: a predicted label, a prediction, a score.</summary>
    private static readonly string[] Markers = ["label", "predict", "score"];

    /// <summary>
    /// The index in <paramref name="outputs"/> of the prediction: the first output whose name says label, else predict,
    /// else score; else the first output that is not an input passed through (named as an input, or as an input
    /// followed by <c>.output</c>); else the first. -1 when there is no output.
    /// </summary>
    public static int Pick(IReadOnlyList<string> outputs, IReadOnlyList<string> inputs)
    {
        if (outputs.Count == 0)
        {
            return -1;
        }

        foreach (var marker in Markers)
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                if (outputs[i].Contains(marker, StringComparison.OrdinalIgnoreCase) && !PassedThrough(outputs[i], inputs))
                {
                    return i;
                }
            }
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            if (!PassedThrough(outputs[i], inputs))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>The prediction output of a signature (see <see cref="Pick"/>), or null when it has no output.</summary>
    public static TensorSpec? Of(ModelSignature signature)
    {
        var index = Pick(signature.Outputs.Select(o => o.Name).ToArray(), signature.Inputs.Select(i => i.Name).ToArray());
        return index < 0 ? null : signature.Outputs[index];
    }

    private static bool PassedThrough(string output, IReadOnlyList<string> inputs)
    {
        foreach (var input in inputs)
        {
            if (output == input || (output.Length == input.Length + ".output".Length && output.StartsWith(input, StringComparison.Ordinal)
                && output.EndsWith(".output", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
