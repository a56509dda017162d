using Ferry.Batch.Io;

namespace Ferry.Batch.Scoring;

/// <summary>The rows of a chunk the model cannot take, each with its first problem.</summary>
public sealed class BadRows
{
    private readonly DataChunk _chunk;
    private bool[]? _mask;

    public BadRows(DataChunk chunk)
    {
        _chunk = chunk;
    }

    public int Count { get; private set; }

    /// <summary>The first problem of each bad row, in row order once <see cref="Sorted"/> is read.</summary>
    public List<BadRowException> Problems { get; } = [];

    /// <summary>One flag per row, true when bad; null when every row is good.</summary>
    public bool[]? Mask => _mask;

    public IEnumerable<BadRowException> Sorted => Problems.OrderBy(p => p.Row);

    public bool IsBad(int row) => _mask is not null && _mask[row];

    public void Add(int row, string column, string reason)
    {
        _mask ??= new bool[_chunk.RowCount];
        if (_mask[row])
        {
            return;
        }

        _mask[row] = true;
        Count++;
        Problems.Add(new BadRowException(_chunk.FileName, _chunk.FirstRow + row + 1, column, reason));
    }
}
