namespace Kukai.Engine.Execution.Native;

/// <summary>
/// What the event loop needs of one <c>http://</c> target: its socket address in the kernel's format (null when the
/// name did not resolve: every request fails to connect), the encoded request, and whether it is a HEAD request.
/// </summary>
internal sealed record NativeTarget(byte[]? SocketAddress, int AddressFamily, byte[] Request, bool Head);
