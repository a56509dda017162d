using Ferry.Tests;

namespace Ferry.Storage.Tests.Fixtures;

/// <summary>Small real ONNX files for registration tests; a different width gives different bytes.</summary>
public static class OnnxFiles
{
    public static string Identity(string folder, int width = 4)
    {
        var path = Path.Combine(folder, $"identity-{width}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, OnnxModelBuilder.Identity(DataType.Fp32, null, width).Build());
        return path;
    }

    public static string Broken(string folder)
    {
        var path = Path.Combine(folder, $"broken-{Guid.NewGuid():N}.onnx");
        var bytes = OnnxModelBuilder.Identity(DataType.Fp32, null, 4).Build();
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }
}
