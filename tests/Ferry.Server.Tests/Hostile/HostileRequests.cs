using System.Globalization;
using System.Text;

namespace Ferry.Server.Tests.Hostile;

/// <summary>
/// Generates malformed or hostile inference requests, each one invalid by construction, from a seed: the same
/// index always gives the same request, whichever worker sends it.
/// </summary>
public static class HostileRequests
{
    private static readonly string[] IdentityModels =
        ["id_bool", "id_uint8", "id_uint16", "id_uint32", "id_uint64", "id_int8", "id_int16", "id_int32", "id_int64", "id_fp16", "id_fp32", "id_fp64", "id_bytes"];

    private static readonly Func<Random, HostileRequest>[] Kinds =
    [
        RandomBytes, TruncatedJson, HugeShape, ShapeDataMismatch, NonFiniteTokens, StringsForNumbers, OutOfRange,
        WrongJsonShape, DeepNesting, LyingBinaryHeader, LyingBinaryData, BadUnicode, JunkPath, WrongModelShape, JunkRepositoryCall,
    ];

    public static HostileRequest Create(int seed, int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        return Kinds[index % Kinds.Length](random);
    }

    private static string Infer(string model) => $"/v2/models/{model}/infer";

    private static string AnyIdentity(Random random) => IdentityModels[random.Next(IdentityModels.Length)];

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static HostileRequest Json(string kind, string model, string json) => new(kind, Infer(model), Encoding.UTF8.GetBytes(json));

    private static string Input(string name, string shape, string datatype, string data) =>
        $$"""{"name": "{{name}}", "shape": {{shape}}, "datatype": "{{datatype}}", "data": {{data}}}""";

    private static HostileRequest RandomBytes(Random random)
    {
        var body = new byte[random.Next(0, 4096)];
        random.NextBytes(body);
        return new HostileRequest("random-bytes", Infer(random.Next(2) == 0 ? "add" : AnyIdentity(random)), body);
    }

    private static HostileRequest TruncatedJson(Random random)
    {
        var json = RestCalls.AddRequest();
        return Json("truncated-json", "add", json[..random.Next(0, json.Length - 1)]);
    }

    private static HostileRequest HugeShape(Random random)
    {
        var shape = Pick(random, "[100000000000]", "[2147483647, 2147483647]", "[1, 4294967296]", "[9223372036854775807, 3]",
            "[268435456, 3]", "[1, 2147483647]", "[1e20, 3]", "[-1, 3]", "[1.5, 3]", "[" + string.Join(",", Enumerable.Repeat("2", 40)) + "]");
        return Json("huge-shape", "id_fp32", $$"""{"inputs": [{{Input("x", shape, "FP32", "[1, 2, 3]")}}]}""");
    }

    private static HostileRequest ShapeDataMismatch(Random random)
    {
        var count = Pick(random, "0", "1", "2", "4", "5", "100");
        var data = "[" + string.Join(", ", Enumerable.Repeat("1", int.Parse(count, CultureInfo.InvariantCulture))) + "]";
        var model = Pick(random, "id_int32", "id_fp64", "id_uint8", "id_bytes");
        var datatype = model["id_".Length..].ToUpperInvariant();
        if (datatype == "BYTES")
        {
            data = data.Replace("1", "\"s\"", StringComparison.Ordinal);
        }

        return Json("shape-data-mismatch", model, $$"""{"inputs": [{{Input("x", "[1, 3]", datatype, data)}}]}""");
    }

    private static HostileRequest NonFiniteTokens(Random random)
    {
        var token = Pick(random, "NaN", "Infinity", "-Infinity", "nan", "inf", "\"NaN\"", "1e999", "-1e999", "1e39");
        var model = Pick(random, "id_fp32", "id_fp64", "id_fp16", "add");
        if (model == "add")
        {
            return Json("non-finite", "add", RestCalls.AddRequest(a: $"[1, {token}, 3, 4]"));
        }

        var datatype = model["id_".Length..].ToUpperInvariant();
        if (datatype == "FP64" && token is "1e39")
        {
            token = "1e400";
        }

        return Json("non-finite", model, $$"""{"inputs": [{{Input("x", "[1, 3]", datatype, $"[{token}, 1, 2]")}}]}""");
    }

    private static HostileRequest StringsForNumbers(Random random)
    {
        var data = Pick(random, "[\"1\", \"2\", \"3\"]", "[1, \"two\", 3]", "[null, 1, 2]", "[{}, 1, 2]", "[true, 1, 2]", "\"1,2,3\"", "{\"0\": 1}", "3");
        var model = Pick(random, "id_int32", "id_fp32", "id_uint64", "id_int8");
        var datatype = model["id_".Length..].ToUpperInvariant();
        return Json("strings-for-numbers", model, $$"""{"inputs": [{{Input("x", "[1, 3]", datatype, data)}}]}""");
    }

    private static HostileRequest OutOfRange(Random random)
    {
        var (model, value) = random.Next(8) switch
        {
            0 => ("id_int8", "128"),
            1 => ("id_int8", "-129"),
            2 => ("id_uint8", "256"),
            3 => ("id_uint8", "-1"),
            4 => ("id_int16", "40000"),
            5 => ("id_uint64", "-1"),
            6 => ("id_int32", "1.5"),
            _ => ("id_fp16", "70000"),
        };
        var datatype = model["id_".Length..].ToUpperInvariant();
        return Json("out-of-range", model, $$"""{"inputs": [{{Input("x", "[1, 3]", datatype, $"[0, {value}, 0]")}}]}""");
    }

    private static HostileRequest WrongJsonShape(Random random)
    {
        var json = Pick(random,
            "[]", "null", "42", "\"inputs\"", "{}", "{\"inputs\": []}", "{\"inputs\": {}}", "{\"inputs\": [[1, 2, 3]]}",
            "{\"inputs\": [{\"name\": 5, \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": \"1,3\", \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": {\"0\": 1}, \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": [\"FP32\"], \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\"}]}",
            "{\"inputs\": [{\"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3], \"data\": [1, 2, 3]}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3], \"parameters\": []}]}",
            "{\"id\": 7, \"inputs\": []}", "{\"outputs\": 3, \"inputs\": []}", "{\"outputs\": [{}]}", "{\"outputs\": [[]]}",
            "{\"parameters\": [], \"inputs\": []}", "{\"parameters\": {\"binary_data_output\": \"yes\"}}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": 2}}]}",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]} trailing",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}{}");
        return Json("wrong-json-shape", "id_fp32", json);
    }

    private static HostileRequest DeepNesting(Random random)
    {
        var depth = random.Next(2, 3000);
        if (random.Next(2) == 0)
        {
            var data = new string('[', depth) + "1" + new string(']', depth);
            return Json("deep-nesting", "id_int32", $$"""{"inputs": [{{Input("x", "[1, 3]", "INT32", data)}}]}""");
        }

        var nested = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            nested.Append("{\"a\": ");
        }

        nested.Append('1').Append('}', depth);
        return Json("deep-nesting", "id_int32", $$"""{"parameters": {{nested}}, "inputs": [{{Input("x", "[1, 3]", "INT32", "[1, 2]")}}]}""");
    }

    private static HostileRequest LyingBinaryHeader(Random random)
    {
        var header = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "INT32", "parameters": {"binary_data_size": 12}}]}""");
        var raw = new byte[12];
        var length = random.Next(7) switch
        {
            0 => (header.Length + 13).ToString(CultureInfo.InvariantCulture),
            1 => "-1",
            2 => "0",
            3 => (header.Length / 2).ToString(CultureInfo.InvariantCulture),
            4 => "2147483648",
            5 => "twelve",
            _ => (header.Length + 4).ToString(CultureInfo.InvariantCulture),
        };
        return new HostileRequest("lying-binary-header", Infer("id_int32"), [.. header, .. raw], length);
    }

    private static HostileRequest LyingBinaryData(Random random)
    {
        var (model, datatype, size, raw) = random.Next(8) switch
        {
            0 => ("id_int32", "INT32", "100", new byte[12]),
            1 => ("id_int32", "INT32", "-12", new byte[12]),
            2 => ("id_int32", "INT32", "12.5", new byte[12]),
            3 => ("id_int32", "INT32", "\"12\"", new byte[12]),
            4 => ("id_int32", "INT32", "8", new byte[8]),
            5 => ("id_bool", "BOOL", "3", new byte[] { 1, (byte)random.Next(2, 256), 0 }),
            6 => ("id_bytes", "BYTES", "12", new byte[] { 0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8 }),
            _ => ("id_bytes", "BYTES", "4", new byte[] { 0, 0, 0, 0 }),
        };
        var header = Encoding.UTF8.GetBytes(
            $$$"""{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "{{{datatype}}}", "parameters": {"binary_data_size": {{{size}}}}}]}""");
        return new HostileRequest("lying-binary-data", Infer(model), [.. header, .. raw], header.Length.ToString(CultureInfo.InvariantCulture));
    }

    private static HostileRequest BadUnicode(Random random)
    {
        var text = Pick(random, "\\ud800", "\\udc00x", "\\ud800\\ud800", "\\u00", "\\x41", "\\uzzzz");
        var json = random.Next(3) switch
        {
            0 => $$"""{"inputs": [{{Input("x" + text, "[1, 3]", "INT32", "[1, 2, 3]")}}]}""",
            1 => $$"""{"id": "{{text}}", "inputs": [{{Input("x", "[1, 3]", "INT32", "[1, 2, 3]")}}]}""",
            _ => $$"""{"inputs": [{{Input("x", "[1, 3]", "INT32" + text, "[1, 2, 3]")}}]}""",
        };
        var body = Encoding.UTF8.GetBytes(json);
        if (random.Next(4) == 0)
        {
            // Raw bytes that are not UTF-8 inside a string.
            var at = Array.IndexOf(body, (byte)'x');
            body[at] = (byte)random.Next(0x80, 0x100);
            return new HostileRequest("bad-utf8", Infer("id_int32"), body);
        }

        var model = random.Next(2) == 0 ? "id_int32" : "id_bytes";
        if (model == "id_bytes")
        {
            body = Encoding.UTF8.GetBytes($$"""{"inputs": [{{Input("x", "[1, 3]", "BYTES", $"[\"a\", \"{text}\", \"c\", \"d\"]")}}]}""");
        }

        return new HostileRequest("bad-unicode", Infer(model), body);
    }

    private static HostileRequest JunkPath(Random random)
    {
        var junk = new StringBuilder();
        for (var i = random.Next(1, 40); i > 0; i--)
        {
            junk.Append((char)random.Next(0x21, 0x7f));
        }

        // '~' is neither in a model name nor in a version number, so the path never names a real model.
        var segment = "~" + Uri.EscapeDataString(junk.ToString());
        var path = random.Next(3) switch
        {
            0 => $"/v2/models/{segment}/infer",
            1 => $"/v2/models/add/versions/{segment}/infer",
            _ => $"/v2/models/add/versions/{random.NextInt64(2, long.MaxValue)}/infer",
        };
        return new HostileRequest("junk-path", path, Encoding.UTF8.GetBytes(RestCalls.AddRequest()));
    }

    private static HostileRequest JunkRepositoryCall(Random random)
    {
        // Bodies start with a control byte, so none of them is JSON; names start with '~', so none is a model.
        var body = new byte[random.Next(1, 512)];
        random.NextBytes(body);
        body[0] = (byte)random.Next(0, 0x20);
        var name = "~" + Uri.EscapeDataString(random.Next().ToString(CultureInfo.InvariantCulture));
        var path = random.Next(5) switch
        {
            0 => $"/v2/repository/models/{name}/load",
            1 => $"/v2/repository/models/{name}/unload",
            2 => "/v2/repository/models/add/load",
            3 => "/v2/repository/index",
            _ => $"/v2/repository/models/{Pick(random, "..", "%2e%2e%2f%2e%2e", "%ff", "a%2fb")}/load",
        };
        return new HostileRequest("junk-repository", path, body);
    }

    private static HostileRequest WrongModelShape(Random random)
    {
        var json = random.Next(4) switch
        {
            0 => RestCalls.AddRequest(a: "[[1, 2], [3, 4]]").Replace("[1, 4], \"datatype\": \"FP32\", \"data\": [[", "[2, 2], \"datatype\": \"FP32\", \"data\": [[", StringComparison.Ordinal),
            1 => $$"""{"inputs": [{{Input("a", "[9, 4]", "FP32", "[" + string.Join(",", Enumerable.Repeat("1", 36)) + "]")}}, {{Input("b", "[9, 4]", "FP32", "[" + string.Join(",", Enumerable.Repeat("1", 36)) + "]")}}]}""",
            2 => $$"""{"inputs": [{{Input("a", "[1, 4]", "FP32", "[1, 2, 3, 4]")}}, {{Input("b", "[2, 4]", "FP32", "[1, 2, 3, 4, 5, 6, 7, 8]")}}]}""",
            _ => $$"""{"inputs": [{{Input("a", "[1, 4]", "FP64", "[1, 2, 3, 4]")}}, {{Input("b", "[1, 4]", "FP32", "[1, 2, 3, 4]")}}]}""",
        };
        return Json("wrong-model-shape", "add", json);
    }
}
