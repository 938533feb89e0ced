namespace Sake;

/// <summary>What the server does with a new connection once <see cref="Config.MaxConnections"/> are open.</summary>
public enum ConnectionLimitMode
{
    /// <summary>Stop accepting: new connections wait in the kernel's listen backlog until one closes.</summary>
    Queue,

    /// <summary>Accept, answer <c>503 Service Unavailable</c> with <c>Retry-After</c>, and close.</summary>
    Reject,
}
