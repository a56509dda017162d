namespace Ferry.Batch;

/// <summary>What a run does with a row the model cannot take (missing value, wrong type, unparseable number).</summary>
public enum ErrorPolicy
{
    /// <summary>Stop at the first bad row; no final output is written and the manifest records the failure.</summary>
    Fail,

    /// <summary>Drop the row from the output and count it.</summary>
    Skip,

    /// <summary>Keep the row with nulls in every model output column.</summary>
    Null,
}
