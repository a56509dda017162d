namespace Ferry.Server.Tests.RealModels;

/// <summary>PaddleOCR's CNNs, served from the npm package's ONNX files, answer as ONNX Runtime does in-process.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class OcrModelTests
{
    private readonly RealModelsFixture _server;

    public OcrModelTests(RealModelsFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData(RealModelsFixture.Classifier, 1, 192)]
    [InlineData(RealModelsFixture.Classifier, 4, 192)]
    [InlineData(RealModelsFixture.Recognizer, 1, 320)]
    [InlineData(RealModelsFixture.Recognizer, 2, 160)]
    public async Task Infer_TextLineImages_BinaryAnswerEqualsOnnxRuntimeElementByElement(string model, int batch, int width)
    {
        var path = _server.ModelPath(model);
        var input = Assert.Single(OnnxReference.InputDimensions(path));
        long[] shape = [batch, 3, 48, width];
        var inputs = new Dictionary<string, (long[] Shape, float[] Data)> { [input.Key] = (shape, TextLineImage(shape, seed: batch * 1000 + width)) };

        var expected = OnnxReference.Run(path, inputs);
        var actual = await BinaryInfer.PostAsync(_server.Http, model, inputs);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.Shape, actual[name].Shape);
            Assert.Equal(batch, tensor.Shape[0]);
            Assert.Equal(tensor.AsFloats(), actual[name].AsFloats());
        }
    }

    /// <summary>
    /// NCHW pixels normalised as PaddleOCR does ((v / 255 - 0.5) / 0.5): a light background with dark vertical
    /// strokes, like a line of print, plus deterministic noise so that every element differs.
    /// </summary>
    private static float[] TextLineImage(long[] shape, int seed)
    {
        var random = new Random(seed);
        var (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3]);
        var pixels = new float[n * c * h * w];
        for (var i = 0; i < pixels.Length; i++)
        {
            var x = i % w;
            var y = i / w % h;
            var stroke = y is > 12 and < 36 && x % 11 < 3;
            var value = (stroke ? 40 : 225) + random.Next(-20, 21);
            pixels[i] = ((value / 255f) - 0.5f) / 0.5f;
        }

        return pixels;
    }
}
