using System.Globalization;
using System.Net;

namespace Ferry.Server.Tests.Rest;

/// <summary>
/// Requests of a shape a session has run before take the bound path (values kept between runs); each must still
/// answer its own values, and a model whose output shape follows its values must keep answering right.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class RepeatedShapeTests
{
    private readonly ServingFixture _server;

    public RepeatedShapeTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Infer_SameShapeManyTimesWithNewValues_EachAnswersItsOwnValues()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 40; i++)
        {
            // Rows 1 or 2 and two output selections, so several bound shapes are learnt and then reused in turn.
            var rows = 1 + (i % 2);
            var a = Enumerable.Range(0, rows * 4).Select(_ => (float)Math.Round((random.NextDouble() * 100) - 50, 3)).ToArray();
            var b = Enumerable.Range(0, rows * 4).Select(_ => (float)Math.Round((random.NextDouble() * 100) - 50, 3)).ToArray();
            var output = i % 3 == 0 ? """, "outputs": [{"name": "product"}]""" : "";
            var answer = await _server.Http.PostJsonAsync("/v2/models/add/infer", $$"""
                {"inputs": [
                  {"name": "a", "shape": [{{rows}}, 4], "datatype": "FP32", "data": [{{Join(a)}}]},
                  {"name": "b", "shape": [{{rows}}, 4], "datatype": "FP32", "data": [{{Join(b)}}]}]{{output}}}
                """);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var outputs = answer.Json!["outputs"]!.AsArray();
            var product = outputs.Single(o => (string?)o!["name"] == "product")!;
            Assert.Equal(a.Zip(b, (x, y) => x * y), product["data"]!.AsArray().Select(x => (float)x!));
            Assert.Equal([rows, 4L], product["shape"]!.AsArray().Select(x => (long)x!));
            if (output.Length > 0)
            {
                Assert.Single(outputs);
            }
            else
            {
                var sum = outputs.Single(o => (string?)o!["name"] == "sum")!;
                Assert.Equal(a.Zip(b, (x, y) => x + y), sum["data"]!.AsArray().Select(x => (float)x!));
            }
        }
    }

    [Fact]
    public async Task Infer_OutputShapeFollowsValues_AnswersRightAfterTheShapeChanges()
    {
        // The same input shape each time; the output's second dimension is the count of non-zero values.
        (float[] X, long[] Expected)[] cases =
        [
            ([1, 0, 2, 0], [0, 2]),
            ([3, 0, 4, 0], [0, 2]),
            ([1, 1, 1, 1], [0, 1, 2, 3]),
            ([0, 0, 5, 0], [2]),
            ([0, 7, 0, 0], [1]),
            ([0, 0, 0, 0], []),
        ];
        foreach (var (x, expected) in cases)
        {
            var answer = await _server.Http.PostJsonAsync("/v2/models/nonzero/infer", $$"""
                {"inputs": [{"name": "x", "shape": [4], "datatype": "FP32", "data": [{{Join(x)}}]}]}
                """);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var indices = Assert.Single(answer.Json!["outputs"]!.AsArray())!;
            Assert.Equal([1L, expected.Length], indices["shape"]!.AsArray().Select(v => (long)v!));
            Assert.Equal(expected, indices["data"]!.AsArray().Select(v => (long)v!));
        }
    }

    private static string Join(float[] values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
