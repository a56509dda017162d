using Ferry.Batch.Io;
using Ferry.Inference.Models;

namespace Ferry.Batch.Scoring;

/// <summary>Scores one chunk: binds its columns, runs the model on the whole chunk as one batch, shapes the output.</summary>
public sealed class ChunkScorer
{
    private readonly ModelVersion _model;
    private readonly ScoringPlan _plan;
    private readonly ErrorPolicy _policy;
    private readonly string[] _outputNames;

    public ChunkScorer(ModelVersion model, ScoringPlan plan, ErrorPolicy policy)
    {
        _model = model;
        _plan = plan;
        _policy = policy;
        _outputNames = plan.Outputs.Select(o => o.Spec.Name).ToArray();
    }

    /// <exception cref="BadRowException">Under <see cref="ErrorPolicy.Fail"/>, the chunk's first bad row.</exception>
    public async Task<ScoredChunk> ScoreAsync(DataChunk chunk, CancellationToken cancellationToken)
    {
        var bad = new BadRows(chunk);
        var inputs = InputBinder.Bind(_plan, chunk, bad);
        try
        {
            if (bad.Count > 0 && _policy == ErrorPolicy.Fail)
            {
                throw bad.Sorted.First();
            }

            var keep = _policy == ErrorPolicy.Skip && bad.Mask is { } mask ? Array.ConvertAll(mask, b => !b) : null;
            var kept = chunk.RowCount - (keep is null ? 0 : bad.Count);
            var nulls = _policy == ErrorPolicy.Null ? bad.Mask : null;
            var columns = new List<ChunkColumn>();
            foreach (var name in _plan.Keep)
            {
                var column = chunk.Columns.GetValueOrDefault(name)
                    ?? throw new BadRowException(chunk.FileName, chunk.FirstRow + 1, name, $"the file has no column '{name}' to keep (columns: {string.Join(", ", chunk.FileColumns)})");
                columns.Add(column with { Values = RowSelection.Select(column.Values, keep, kept) });
            }

            var outputs = await _model.InferAsync(inputs, _outputNames, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var binding in _plan.Outputs)
                {
                    var tensor = outputs.First(o => o.Name == binding.Spec.Name);
                    columns.AddRange(OutputColumns.Extract(binding, tensor, keep, kept, nulls));
                }
            }
            finally
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }
            }

            return new ScoredChunk
            {
                Source = chunk,
                Columns = columns,
                RowsOut = kept,
                Skipped = chunk.RowCount - kept,
                Nulled = nulls is null ? 0 : bad.Count,
            };
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }
}
