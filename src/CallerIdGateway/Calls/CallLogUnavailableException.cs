namespace CallerIdGateway.Calls;

/// <summary>The call history could not be read: the database did not answer in time.</summary>
public sealed class CallLogUnavailableException(Exception inner)
    : Exception("The call history is not available: the database did not answer.", inner);
