namespace Ferry.Monitoring.Log;

/// <summary>A model column of a segment: numbers are stored as nullable doubles, BYTES elements and shapes as text.</summary>
public sealed record LogColumn(string Name, bool IsText, int Tensor, bool IsOutput, int Element, bool ShapeOnly);
