namespace Ferry.Storage.Tracking;

/// <summary>Comparison operators a run filter allows.</summary>
public enum FilterOp
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Like,
    ILike,
}
