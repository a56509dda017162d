using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Models;

/// <summary>Reads a model's signature from its ONNX session and applies the configuration's overrides.</summary>
internal static class SignatureReader
{
    public static ModelSignature Read(string name, long version, InferenceSession session, ModelConfig config) =>
        Read($"model '{name}' version {version}", session, config);

    /// <param name="where">Names the model in error messages, e.g. <c>model 'x' version 3</c>.</param>
    public static ModelSignature Read(string where, InferenceSession session, ModelConfig config)
    {
        var inputs = new List<TensorSpec>();
        foreach (var inputName in session.InputNames)
        {
            var meta = session.InputMetadata[inputName];
            var spec = ToSpec(inputName, meta)
                ?? throw FerryException.Invalid($"{where}: input '{inputName}' is a {meta.OnnxValueType}, not a tensor of a served type");
            inputs.Add(ApplyOverride(where, spec, config.Input, config.MaxBatchSize));
        }

        var outputs = new List<TensorSpec>();
        foreach (var outputName in session.OutputNames)
        {
            // Outputs that are not tensors (sequences, maps) cannot travel over the protocol; they are not offered.
            if (ToSpec(outputName, session.OutputMetadata[outputName]) is { } spec)
            {
                // An output with a fixed first dimension (ML.NET's unused outputs, say) is served as it is; the
                // batcher runs requests that ask for it one at a time.
                var batched = config.MaxBatchSize > 0 && spec.Shape is [< 0, ..];
                outputs.Add(ApplyOverride(where, spec, config.Output, batched ? config.MaxBatchSize : 0));
            }
        }

        foreach (var o in config.Input ?? [])
        {
            if (!inputs.Any(i => i.Name == o.Name))
            {
                throw FerryException.Invalid($"{where}: config.json names input '{o.Name}', which the model does not have");
            }
        }

        foreach (var o in config.Output ?? [])
        {
            if (!outputs.Any(i => i.Name == o.Name))
            {
                throw FerryException.Invalid($"{where}: config.json names output '{o.Name}', which the model does not have");
            }
        }

        if (outputs.Count == 0)
        {
            throw FerryException.Invalid($"{where}: the model has no tensor output");
        }

        return new ModelSignature { Inputs = inputs, Outputs = outputs };
    }

    private static TensorSpec? ToSpec(string name, NodeMetadata meta)
    {
        if (!meta.IsTensor || !OnnxTypes.TryFromOnnx(meta.ElementDataType, out var dataType))
        {
            return null;
        }

        return new TensorSpec { Name = name, DataType = dataType, Shape = meta.Dimensions.Select(d => d < 0 ? -1L : d).ToArray() };
    }

    private static TensorSpec ApplyOverride(string where, TensorSpec spec, IReadOnlyList<TensorOverride>? overrides, int maxBatchSize)
    {
        var shape = spec.Shape;
        var o = overrides?.FirstOrDefault(x => x.Name == spec.Name);
        if (o?.DataType is { } typeName && DataTypes.TryParse(typeName, out var declared) && declared != spec.DataType)
        {
            throw FerryException.Invalid($"{where}: config.json declares '{spec.Name}' as {declared.ToProtocolName()}, the model has {spec.DataType.ToProtocolName()}");
        }

        if (o?.Dims is { } dims)
        {
            var full = maxBatchSize > 0 ? [-1L, .. dims] : dims;
            if (full.Length != shape.Length)
            {
                throw FerryException.Invalid($"{where}: config.json gives '{spec.Name}' the shape {Shapes.Format(full)}, the model has rank {shape.Length} {Shapes.Format(shape)}");
            }

            for (var i = 0; i < full.Length; i++)
            {
                if (shape[i] >= 0 && full[i] >= 0 && shape[i] != full[i])
                {
                    throw FerryException.Invalid($"{where}: config.json gives '{spec.Name}' the shape {Shapes.Format(full)}, which the model's {Shapes.Format(shape)} cannot take");
                }
            }

            shape = full.Select((d, i) => d >= 0 ? d : shape[i]).ToArray();
        }

        if (maxBatchSize > 0 && (spec.Shape.Length == 0 || spec.Shape[0] >= 0))
        {
            throw FerryException.Invalid($"{where}: max_batch_size is {maxBatchSize} but the model's '{spec.Name}' {Shapes.Format(spec.Shape)} has no dynamic first (batch) dimension");
        }

        return spec with { Shape = shape };
    }
}
