namespace Ferry.Batch.Scoring;

/// <summary>
/// A model input and the columns that feed it: one column for a <c>[N]</c> or <c>[N,1]</c> input, k columns
/// <c>NAME_0..NAME_k-1</c> for a <c>[N,k]</c> input (the same convention the output side uses).
/// </summary>
public sealed record InputBinding(TensorSpec Spec, IReadOnlyList<string> Columns)
{
    public int Width => Columns.Count;
}
