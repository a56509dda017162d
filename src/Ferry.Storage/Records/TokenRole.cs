namespace Ferry.Storage;

/// <summary>What a token may do; each role includes the ones before it.</summary>
public enum TokenRole
{
    Reader,
    Writer,
    Admin,
}
