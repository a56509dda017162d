namespace Ferry.Tracking.Runs;

internal enum FilterTokenKind
{
    Identifier,
    String,
    Number,
    Operator,
    Dot,
    End,
}

/// <summary>One token of a run filter, with its 0-based position for error messages.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position);
