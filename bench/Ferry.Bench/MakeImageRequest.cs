using System.Globalization;
using System.Text;

namespace Ferry.Bench;

/// <summary>
/// Writes a binary-extension request for an image model: a seeded random FP32 image of the given shape.
/// Files: header.json (the JSON header), image.bin (the tensor bytes), body.bin (header then tensor), and
/// header-length (the value of Inference-Header-Content-Length).
/// </summary>
internal static class MakeImageRequest
{
    public static int Run(string[] args)
    {
        var output = Arguments.Get(args, "--out");
        var input = Arguments.Get(args, "--input", "x");
        var shape = Arguments.Get(args, "--shape", "1,3,48,192").Split(',').Select(long.Parse).ToArray();
        Directory.CreateDirectory(output);

        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var random = new Random(7);
        var pixels = new float[count];
        for (var i = 0; i < count; i++)
        {
            pixels[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var image = new byte[count * 4];
        Buffer.BlockCopy(pixels, 0, image, 0, image.Length);
        var header = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"inputs\":[{{\"name\":\"{input}\",\"shape\":[{string.Join(",", shape)}],\"datatype\":\"FP32\",\"parameters\":{{\"binary_data_size\":{image.Length}}}}}],\"parameters\":{{\"binary_data_output\":true}}}}"));
        File.WriteAllBytes(Path.Combine(output, "header.json"), header);
        File.WriteAllBytes(Path.Combine(output, "image.bin"), image);
        File.WriteAllBytes(Path.Combine(output, "body.bin"), [.. header, .. image]);
        File.WriteAllText(Path.Combine(output, "header-length"), header.Length.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
