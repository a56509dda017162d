using Ferry.Delivery.Shadow;

namespace Ferry.Delivery.Routing;

/// <summary>Where a shadow deployment copies requests to, and how many.</summary>
public sealed record ShadowRoute(long Version, string VersionText, double Percent, TimeSpan Timeout, ShadowStats Stats);
