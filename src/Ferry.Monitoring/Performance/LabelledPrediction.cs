using Ferry.Monitoring.Labels;

namespace Ferry.Monitoring.Performance;

/// <summary>A logged prediction joined to its label; <see cref="Score"/> is NaN when the model gives none.</summary>
public readonly record struct LabelledPrediction(LabelValue Predicted, LabelValue Actual, double Score);
