namespace Ferry;

/// <summary>An error with a stable <see cref="ErrorCode"/> and a message fit to show the client.</summary>
public sealed class FerryException : Exception
{
    public FerryException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public ErrorCode Code { get; }

    public static FerryException Invalid(string message) => new(ErrorCode.InvalidArgument, message);

    public static FerryException NotFound(string message) => new(ErrorCode.NotFound, message);

    public static FerryException Unavailable(string message) => new(ErrorCode.Unavailable, message);
}
