namespace Ferry.Batch.Scoring;

/// <summary>A model output and its output columns: the output's name for <c>[N]</c>/<c>[N,1]</c>, else <c>NAME_j</c>.</summary>
public sealed record OutputBinding(TensorSpec Spec, IReadOnlyList<string> Columns)
{
    public int Width => Columns.Count;
}
