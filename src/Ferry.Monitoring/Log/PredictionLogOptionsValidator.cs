using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Log;

/// <summary>Reports every bad prediction log setting at once, at start.</summary>
public sealed class PredictionLogOptionsValidator : IValidateOptions<PredictionLogOptions>
{
    public ValidateOptionsResult Validate(string? name, PredictionLogOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add("PredictionLog:Directory is required");
        }

        if (options.SampleRate is < 0 or > 1)
        {
            errors.Add($"PredictionLog:SampleRate must be between 0 and 1, not {options.SampleRate}");
        }

        foreach (var (model, rate) in options.ModelSampleRates)
        {
            if (rate is < 0 or > 1)
            {
                errors.Add($"PredictionLog:ModelSampleRates:{model} must be between 0 and 1, not {rate}");
            }
        }

        if (options.ChannelCapacity < 1)
        {
            errors.Add("PredictionLog:ChannelCapacity must be at least 1");
        }

        if (options.FlushInterval <= TimeSpan.Zero || options.MaxSegmentAge <= TimeSpan.Zero || options.Retention <= TimeSpan.Zero)
        {
            errors.Add("PredictionLog:FlushInterval, MaxSegmentAge and Retention must be positive");
        }

        if (options.MaxSegmentBytes < 4096)
        {
            errors.Add("PredictionLog:MaxSegmentBytes must be at least 4096");
        }

        if (options.MaxElementsPerRow < 1)
        {
            errors.Add("PredictionLog:MaxElementsPerRow must be at least 1");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
