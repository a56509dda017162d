namespace Ferry.Delivery.Tests;

public sealed class SkeletonTests
{
    [Fact]
    public void DeliveryAssemblyLoads() => Assert.Equal("Ferry.Delivery", typeof(DeliveryAssembly).Assembly.GetName().Name);
}
