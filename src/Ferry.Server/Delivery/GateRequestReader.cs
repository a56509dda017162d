using System.Text.Json;
using Ferry.Delivery.Gates;

namespace Ferry.Server.Delivery;

/// <summary>
/// Reads the body of <c>POST /api/v1/gates/check</c> into a <see cref="GateRequest"/>, naming every bad or unknown
/// field (a misspelt limit would otherwise be silently unchecked).
/// </summary>
public static class GateRequestReader
{
    private static readonly string[] TopFields = ["model", "version", "contract", "policy"];
    private static readonly string[] PolicyFields = ["maxSizeBytes", "maxLatencyP99Ms", "maxMemoryBytes", "benchmark", "metric"];
    private static readonly string[] BenchmarkFields = ["warmupRuns", "timedRuns", "dynamicDimension"];
    private static readonly string[] MetricFields = ["name", "dataset", "datasetVersion", "label", "prediction", "score", "map", "tolerance", "championAlias"];
    private static readonly string[] ContractFields = ["inputs", "outputs"];
    private static readonly string[] TensorFields = ["name", "datatype", "shape"];

    /// <exception cref="FerryException">InvalidArgument listing every bad field.</exception>
    public static GateRequest Read(JsonElement root)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw FerryException.Invalid("body: expected a JSON object {\"model\", \"version\", \"contract\"?, \"policy\"}");
        }

        Unknown(root, "", TopFields, errors);
        var model = String(root, "model", "model", errors, required: true) ?? "";
        var version = Long(root, "version", "version", errors, required: true) ?? 0;
        var contract = root.TryGetProperty("contract", out var c) && c.ValueKind != JsonValueKind.Null ? Contract(c, errors) : null;
        var policy = root.TryGetProperty("policy", out var p) && p.ValueKind != JsonValueKind.Null ? Policy(p, errors) : new GatePolicy();
        if (errors.Count > 0)
        {
            throw FerryException.Invalid(string.Join("; ", errors));
        }

        return new GateRequest { Model = model, Version = version, Contract = contract, Policy = policy };
    }

    /// <summary>
    /// A policy alone, as a deployment's <c>gates</c> carries it: the same fields as the check's <c>policy</c>, errors
    /// named under <paramref name="field"/>.
    /// </summary>
    /// <exception cref="FerryException">InvalidArgument listing every bad field.</exception>
    public static GatePolicy ReadPolicy(JsonElement policy, string field)
    {
        var errors = new List<string>();
        var read = Policy(policy, errors);
        if (errors.Count > 0)
        {
            throw FerryException.Invalid(string.Join("; ", errors.Select(e => e.StartsWith("policy", StringComparison.Ordinal) ? field + e["policy".Length..] : e)));
        }

        return read;
    }

    private static GatePolicy Policy(JsonElement p, List<string> errors)
    {
        if (!Object(p, "policy", errors))
        {
            return new GatePolicy();
        }

        Unknown(p, "policy.", PolicyFields, errors);
        var latency = Double(p, "maxLatencyP99Ms", "policy.maxLatencyP99Ms", errors);
        var benchmark = new BenchmarkSettings();
        if (p.TryGetProperty("benchmark", out var b) && b.ValueKind != JsonValueKind.Null && Object(b, "policy.benchmark", errors))
        {
            Unknown(b, "policy.benchmark.", BenchmarkFields, errors);
            benchmark = new BenchmarkSettings
            {
                WarmupRuns = Int(b, "warmupRuns", "policy.benchmark.warmupRuns", errors) ?? benchmark.WarmupRuns,
                TimedRuns = Int(b, "timedRuns", "policy.benchmark.timedRuns", errors) ?? benchmark.TimedRuns,
                DynamicDimension = Int(b, "dynamicDimension", "policy.benchmark.dynamicDimension", errors) ?? benchmark.DynamicDimension,
            };
        }

        OptimisingMetric? metric = null;
        if (p.TryGetProperty("metric", out var m) && m.ValueKind != JsonValueKind.Null && Object(m, "policy.metric", errors))
        {
            Unknown(m, "policy.metric.", MetricFields, errors);
            metric = new OptimisingMetric
            {
                Name = String(m, "name", "policy.metric.name", errors, required: true) ?? "",
                Dataset = String(m, "dataset", "policy.metric.dataset", errors, required: true) ?? "",
                DatasetVersion = Long(m, "datasetVersion", "policy.metric.datasetVersion", errors, required: true) ?? 0,
                Label = String(m, "label", "policy.metric.label", errors, required: true) ?? "",
                Prediction = String(m, "prediction", "policy.metric.prediction", errors),
                Score = String(m, "score", "policy.metric.score", errors),
                Map = Map(m, errors),
                Tolerance = Double(m, "tolerance", "policy.metric.tolerance", errors) ?? 0,
                ChampionAlias = String(m, "championAlias", "policy.metric.championAlias", errors) ?? "champion",
            };
        }

        return new GatePolicy
        {
            MaxSizeBytes = Long(p, "maxSizeBytes", "policy.maxSizeBytes", errors),
            MaxLatencyP99 = latency is { } ms && double.IsFinite(ms) && Math.Abs(ms) < 1e9 ? TimeSpan.FromMilliseconds(ms) : null,
            MaxMemoryBytes = Long(p, "maxMemoryBytes", "policy.maxMemoryBytes", errors),
            Benchmark = benchmark,
            Metric = metric,
        };
    }

    private static Dictionary<string, string> Map(JsonElement m, List<string> errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!m.TryGetProperty("map", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add("policy.metric.map: expected an object of model input → dataset column");
            return map;
        }

        foreach (var pair in e.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"policy.metric.map.{pair.Name}: expected a column name (string)");
                continue;
            }

            map[pair.Name] = pair.Value.GetString()!;
        }

        return map;
    }

    private static ModelSignature? Contract(JsonElement c, List<string> errors)
    {
        if (!Object(c, "contract", errors))
        {
            return null;
        }

        Unknown(c, "contract.", ContractFields, errors);
        return new ModelSignature { Inputs = Tensors(c, "inputs", errors), Outputs = Tensors(c, "outputs", errors) };
    }

    private static List<TensorSpec> Tensors(JsonElement c, string field, List<string> errors)
    {
        var specs = new List<TensorSpec>();
        if (!c.TryGetProperty(field, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return specs;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"contract.{field}: expected an array of {{\"name\", \"datatype\", \"shape\"}}");
            return specs;
        }

        var i = 0;
        foreach (var t in list.EnumerateArray())
        {
            var where = $"contract.{field}[{i++}]";
            if (!Object(t, where, errors))
            {
                continue;
            }

            Unknown(t, where + ".", TensorFields, errors);
            var name = String(t, "name", where + ".name", errors, required: true);
            var typeName = String(t, "datatype", where + ".datatype", errors, required: true);
            DataType type = default;
            if (typeName is not null && !DataTypes.TryParse(typeName, out type))
            {
                errors.Add($"{where}.datatype: '{typeName}' is not one of {string.Join(", ", DataTypes.All)}");
                continue;
            }

            var shape = Shape(t, where + ".shape", errors);
            if (name is not null && typeName is not null && shape is not null)
            {
                specs.Add(new TensorSpec { Name = name, DataType = type, Shape = shape });
            }
        }

        return specs;
    }

    private static long[]? Shape(JsonElement t, string where, List<string> errors)
    {
        if (!t.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}: an array of dimensions (-1 for dynamic) is required");
            return null;
        }

        var shape = new long[s.GetArrayLength()];
        var i = 0;
        foreach (var d in s.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < -1)
            {
                errors.Add($"{where}[{i}]: a dimension is an integer ≥ 0, or -1 for dynamic");
                return null;
            }

            shape[i++] = v;
        }

        return shape;
    }

    private static bool Object(JsonElement e, string where, List<string> errors)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add($"{where}: expected an object");
        return false;
    }

    private static void Unknown(JsonElement e, string prefix, string[] known, List<string> errors)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                errors.Add($"{prefix}{property.Name}: unknown field (known: {string.Join(", ", known)})");
            }
        }
    }

    private static string? String(JsonElement e, string name, string where, List<string> errors, bool required = false)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{where}: is required");
            }

            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{where}: expected a string");
            return null;
        }

        return v.GetString();
    }

    private static long? Long(JsonElement e, string name, string where, List<string> errors, bool required = false)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{where}: is required");
            }

            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        // A version may come as "3", the way it is written in MODEL:VERSION.
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        errors.Add($"{where}: expected an integer");
        return null;
    }

    private static int? Int(JsonElement e, string name, string where, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
        {
            return n;
        }

        errors.Add($"{where}: expected an integer");
        return null;
    }

    private static double? Double(JsonElement e, string name, string where, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        errors.Add($"{where}: expected a number");
        return null;
    }
}
