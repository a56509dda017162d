using System.Text.Json;

namespace Ferry.Storage.Sql;

/// <summary>
/// Stores signatures as JSON with the protocol's type names (<c>FP32</c>), so the column stays readable and
/// does not change if the <see cref="DataType"/> enum is ever reordered.
/// </summary>
internal static class SignatureJson
{
    public static string Write(ModelSignature signature) => JsonSerializer.Serialize(new SignatureDto(
        signature.Inputs.Select(ToDto).ToArray(),
        signature.Outputs.Select(ToDto).ToArray()));

    public static ModelSignature Read(string json)
    {
        var dto = JsonSerializer.Deserialize<SignatureDto>(json)
            ?? throw new FerryException(ErrorCode.Internal, "a stored model signature is empty");
        return new ModelSignature { Inputs = dto.Inputs.Select(FromDto).ToArray(), Outputs = dto.Outputs.Select(FromDto).ToArray() };
    }

    public static string WriteList(IReadOnlyList<string> items) => JsonSerializer.Serialize(items);

    public static IReadOnlyList<string> ReadList(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static SpecDto ToDto(TensorSpec spec) => new(spec.Name, spec.DataType.ToProtocolName(), spec.Shape);

    private static TensorSpec FromDto(SpecDto dto) => DataTypes.TryParse(dto.DataType, out var type)
        ? new TensorSpec { Name = dto.Name, DataType = type, Shape = dto.Shape }
        : throw new FerryException(ErrorCode.Internal, $"a stored model signature names the unknown type '{dto.DataType}'");

    private sealed record SignatureDto(SpecDto[] Inputs, SpecDto[] Outputs);

    private sealed record SpecDto(string Name, string DataType, long[] Shape);
}
