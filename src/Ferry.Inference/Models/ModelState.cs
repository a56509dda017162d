namespace Ferry.Inference.Models;

/// <summary>Model states as Triton's repository index reports them.</summary>
public enum ModelState
{
    Unavailable,
    Loading,
    Ready,
    Unloading,
}

public static class ModelStates
{
    public static string ToProtocolName(this ModelState state) => state switch
    {
        ModelState.Ready => "READY",
        ModelState.Loading => "LOADING",
        ModelState.Unloading => "UNLOADING",
        _ => "UNAVAILABLE",
    };
}

/// <summary>One row of the repository index.</summary>
public sealed record ModelIndexEntry(string Name, string Version, ModelState State, string Reason);
