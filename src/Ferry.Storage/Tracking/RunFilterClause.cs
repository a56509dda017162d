namespace Ferry.Storage.Tracking;

/// <summary>
/// One <c>field op value</c> test. <see cref="Value"/> is a <see cref="double"/> for metrics and numeric attributes,
/// else a <see cref="string"/>; the parser guarantees it, the store binds it as a parameter.
/// </summary>
public sealed record RunFilterClause(RunField Field, FilterOp Op, object Value);
