namespace Ferry.Delivery;

/// <summary>Settings of deployments in the server, bound from <c>Ferry:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Ferry:Delivery";

    /// <summary>The request header (and gRPC metadata key) with the assignment key; <c>x-ferry-key</c> by default.</summary>
    public string KeyHeader { get; set; } = "x-ferry-key";

    /// <summary>
    /// How often the controller reads the store (changes made through other replicas) and checks rollouts whose
    /// analysis window or pause is due; 5 seconds by default. Windows and pauses are as long as their spec says.
    /// </summary>
    public TimeSpan ControllerInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Copies waiting for the shadow candidate; when full, new copies are dropped and counted. 1024 by default.</summary>
    public int ShadowQueueCapacity { get; set; } = 1024;
}
