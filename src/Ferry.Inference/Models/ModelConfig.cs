using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Inference.Models;

/// <summary>
/// A model's optional <c>config.json</c>: Triton's model configuration in its JSON form, for the fields Ferry
/// serves. Unknown fields are refused so that a typo does not pass silently.
/// </summary>
public sealed record ModelConfig
{
    public const string FileName = "config.json";

    /// <summary>Largest batch (first dimension) a request may carry; 0 means the model has no batch dimension.</summary>
    [JsonPropertyName("max_batch_size")]
    public int MaxBatchSize { get; init; }

    [JsonPropertyName("version_policy")]
    public VersionPolicy? VersionPolicy { get; init; }

    /// <summary>Gather concurrent requests into one run; absent means each request runs alone.</summary>
    [JsonPropertyName("dynamic_batching")]
    public DynamicBatching? DynamicBatching { get; init; }

    [JsonPropertyName("instance_group")]
    public IReadOnlyList<InstanceGroup>? InstanceGroup { get; init; }

    [JsonPropertyName("input")]
    public IReadOnlyList<TensorOverride>? Input { get; init; }

    [JsonPropertyName("output")]
    public IReadOnlyList<TensorOverride>? Output { get; init; }

    /// <summary>File name of the model inside each version folder; <c>model.onnx</c> by default.</summary>
    [JsonPropertyName("default_model_filename")]
    public string? DefaultModelFilename { get; init; }

    /// <summary>Triton's platform field; only ONNX models are served, so it may be absent or name ONNX.</summary>
    [JsonPropertyName("platform")]
    public string? Platform { get; init; }

    [JsonPropertyName("backend")]
    public string? Backend { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    public static ModelConfig Default { get; } = new();

    public string ModelFileName => DefaultModelFilename ?? "model.onnx";

    /// <summary>Sessions per loaded version: the sum of the instance groups' counts, 1 when none is given.</summary>
    public int InstanceCount => InstanceGroup is { Count: > 0 } groups ? groups.Sum(g => Math.Max(g.Count, 1)) : 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads the configuration of a model folder, or the default when it has none.</summary>
    public static ModelConfig Load(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            return Default;
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static ModelConfig Parse(string json, string source)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, Options);
        }
        catch (JsonException e)
        {
            throw FerryException.Invalid($"{source}: {e.Message}");
        }

        if (config is null)
        {
            throw FerryException.Invalid($"{source}: the configuration is empty");
        }

        config.Validate(source);
        return config;
    }

    private void Validate(string source)
    {
        var errors = new List<string>();
        if (MaxBatchSize < 0)
        {
            errors.Add("max_batch_size must be 0 or more");
        }

        if (Platform is not null && Platform != "onnxruntime_onnx")
        {
            errors.Add($"platform '{Platform}' is not served; only onnxruntime_onnx");
        }

        if (Backend is not null && Backend != "onnxruntime")
        {
            errors.Add($"backend '{Backend}' is not served; only onnxruntime");
        }

        if (DefaultModelFilename is { } file && (file.Length == 0 || file != Path.GetFileName(file) || file is "." or ".."))
        {
            errors.Add("default_model_filename must be a plain file name");
        }

        foreach (var group in InstanceGroup ?? [])
        {
            if (group.Count < 1)
            {
                errors.Add("instance_group count must be 1 or more");
            }

            if (group.Kind is not null && group.Kind != "KIND_CPU" && group.Kind != "KIND_AUTO")
            {
                errors.Add($"instance_group kind '{group.Kind}' is not available; this server runs on CPU");
            }
        }

        if (DynamicBatching is { } batching)
        {
            errors.AddRange(batching.Validate(MaxBatchSize));
            if (MaxBatchSize == 0)
            {
                errors.Add("dynamic_batching needs max_batch_size of 1 or more");
            }

            if (batching.DefaultQueuePolicy?.TimeoutAction is { } action && action != "REJECT")
            {
                errors.Add($"dynamic_batching.default_queue_policy.timeout_action '{action}' is not offered; only REJECT");
            }
        }

        if (VersionPolicy is { } policy)
        {
            errors.AddRange(policy.Validate());
        }

        foreach (var tensor in (Input ?? []).Concat(Output ?? []))
        {
            if (string.IsNullOrEmpty(tensor.Name))
            {
                errors.Add("every input and output override needs a name");
            }

            if (tensor.DataType is not null && !DataTypes.TryParse(tensor.DataType, out _))
            {
                errors.Add($"'{tensor.Name}': unknown data_type '{tensor.DataType}'");
            }

            if (tensor.Dims is { } dims && dims.Any(d => d < -1))
            {
                errors.Add($"'{tensor.Name}': dims may hold -1 (any size) or sizes of 0 or more");
            }
        }

        if (errors.Count > 0)
        {
            throw FerryException.Invalid($"{source}: " + string.Join("; ", errors));
        }
    }
}

public sealed record InstanceGroup
{
    [JsonPropertyName("count")]
    public int Count { get; init; } = 1;

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

/// <summary>An input or output as the configuration declares it; dims leave out the batch dimension when batching.</summary>
public sealed record TensorOverride
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("data_type")]
    public string? DataType { get; init; }

    [JsonPropertyName("dims")]
    public long[]? Dims { get; init; }
}
