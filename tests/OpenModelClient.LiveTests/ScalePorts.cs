using System.Net;
using System.Net.Sockets;

namespace OpenModelClient.LiveTests;

/// <summary>Loopback ports for the scale tests' own servers, from the range set aside for them on shared machines (18300-18399).</summary>
internal static class ScalePorts
{
    private static int _next = 18300;

    /// <summary>Gets the next port of the range that nothing listens on at the moment of asking.</summary>
    public static int Next()
    {
        for (int i = 0; i < 100; i++)
        {
            int port = 18300 + ((Interlocked.Increment(ref _next) - 18300) % 100);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException("No free port in 18300-18399.");
    }
}
