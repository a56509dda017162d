namespace Ferry;

/// <summary>Stable error codes; each protocol maps them to its own status (HTTP status, gRPC code).</summary>
public enum ErrorCode
{
    /// <summary>The client sent something wrong: malformed body, unknown input, wrong shape or type.</summary>
    InvalidArgument,

    /// <summary>The model, version or resource does not exist.</summary>
    NotFound,

    /// <summary>The server or the model is not ready to answer (loading, unloading, failed).</summary>
    Unavailable,

    /// <summary>The request body is larger than the configured limit.</summary>
    PayloadTooLarge,

    /// <summary>A queue or another bounded resource is full.</summary>
    ResourceExhausted,

    /// <summary>The request's deadline passed before it was answered.</summary>
    DeadlineExceeded,

    /// <summary>A fault of the server itself.</summary>
    Internal,

    /// <summary>A resource of that name already exists (an experiment name, for one).</summary>
    AlreadyExists,
}
