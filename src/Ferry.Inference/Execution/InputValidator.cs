using Ferry.Inference.Models;
using Ferry.Inference.Tensors;

namespace Ferry.Inference.Execution;

/// <summary>Checks a request's tensors against a version's signature; every message names the model and the tensor.</summary>
public static class InputValidator
{
    public static void Validate(ModelVersion model, IReadOnlyList<InferTensor> inputs, IReadOnlyList<string>? requestedOutputs)
    {
        var signature = model.Signature;
        // Made only for a message: a request that passes allocates nothing here.
        string where() => $"model '{model.Name}' version {model.Version}";
        long? batch = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            for (var j = 0; j < i; j++)
            {
                if (inputs[j].Name == input.Name)
                {
                    throw FerryException.Invalid($"{where()}: input '{input.Name}' is given twice");
                }
            }

            var spec = signature.FindInput(input.Name)
                ?? throw FerryException.Invalid($"{where()}: unknown input '{input.Name}'; the model takes {Describe(signature.Inputs)}");
            if (spec.DataType != input.DataType)
            {
                throw FerryException.Invalid($"{where()}: input '{input.Name}' has datatype {input.DataType.ToProtocolName()}, the model expects {spec.DataType.ToProtocolName()}");
            }

            if (!Shapes.Matches(input.Shape, spec.Shape))
            {
                throw FerryException.Invalid($"{where()}: input '{input.Name}' has shape {input.ShapeText}, the model expects {spec.ShapeText} (-1: any size)");
            }

            if (model.Config.MaxBatchSize > 0)
            {
                var size = input.Shape[0];
                if (size > model.Config.MaxBatchSize)
                {
                    throw FerryException.Invalid($"{where()}: input '{input.Name}' has batch size {size}, more than the model's max_batch_size {model.Config.MaxBatchSize}");
                }

                if (batch is { } b && b != size)
                {
                    throw FerryException.Invalid($"{where()}: input '{input.Name}' has batch size {size}, other inputs have {b}");
                }

                batch = size;
            }
        }

        if (inputs.Count != signature.Inputs.Count)
        {
            foreach (var spec in signature.Inputs)
            {
                if (!inputs.Any(x => x.Name == spec.Name))
                {
                    throw FerryException.Invalid($"{where()}: missing input '{spec.Name}' ({spec.DataType.ToProtocolName()} {spec.ShapeText})");
                }
            }
        }

        if (requestedOutputs is not null)
        {
            for (var i = 0; i < requestedOutputs.Count; i++)
            {
                var name = requestedOutputs[i];
                if (signature.FindOutput(name) is null)
                {
                    throw FerryException.Invalid($"{where()}: unknown output '{name}'; the model gives {Describe(signature.Outputs)}");
                }

                for (var j = 0; j < i; j++)
                {
                    if (requestedOutputs[j] == name)
                    {
                        throw FerryException.Invalid($"{where()}: output '{name}' is requested twice");
                    }
                }
            }
        }
    }

    private static string Describe(IReadOnlyList<TensorSpec> tensors) =>
        string.Join(", ", tensors.Select(t => $"'{t.Name}' ({t.DataType.ToProtocolName()} {t.ShapeText})"));
}
