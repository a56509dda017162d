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

/// <summary>
/// One <c>field op value</c> test. <see cref="Value"/> is a <see cref="double"/> for metrics and numeric attributes,
/// else a <see cref="string"/>; the parser guarantees it, the store binds it as a parameter.
/// </summary>
public sealed record RunFilterClause(RunField Field, FilterOp Op, object Value);

/// <summary>One sort key of a run search.</summary>
public sealed record RunOrder(RunField Field, bool Descending);
