namespace Ferry.Storage.Sql;

/// <summary>One schema step; applied once, in order of <see cref="Version"/>, inside the opening transaction.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
