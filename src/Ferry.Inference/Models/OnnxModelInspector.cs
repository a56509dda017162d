using Microsoft.ML.OnnxRuntime;

namespace Ferry.Inference.Models;

/// <summary>Checks that a file is a model ONNX Runtime can load and reads its signature, without serving it.</summary>
public static class OnnxModelInspector
{
    /// <param name="description">Names the model in error messages, e.g. <c>model 'churn'</c>.</param>
    /// <exception cref="FerryException">InvalidArgument when ONNX Runtime cannot load the file or the model has no servable tensors.</exception>
    public static ModelSignature ReadSignature(string description, string path)
    {
        // Optimisations would only slow the check down; the session is thrown away after reading its metadata.
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw FerryException.Invalid($"{description}: the file is not a model ONNX Runtime can load: {e.Message}");
        }

        using (session)
        {
            return SignatureReader.Read(description, session, ModelConfig.Default);
        }
    }
}
