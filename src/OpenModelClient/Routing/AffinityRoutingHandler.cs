using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.ServiceDiscovery;

namespace OpenModelClient;

/// <summary>Sends each attempt of a request to the replica <see cref="ReplicaBalancer"/> chooses for the call's affinity key, counts
/// it in flight there until its body ends, and adds the affinity header a gateway routes by.</summary>
/// <remarks>
/// Sits inside the retry pipeline, so a retry after a refused connection chooses again (the refusing replica is passed over for a
/// while), and before service discovery's own handler, which passes the concrete address it is given through unchanged.
/// </remarks>
internal sealed class AffinityRoutingHandler(ReplicaBalancer balancer, ServiceEndpointResolver? resolver, string? affinityHeader) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Uri> LogicalUriKey = new("OpenModelClient.LogicalUri");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? key = AffinityKey.Current;
        if (affinityHeader is not null && key is not null)
        {
            request.Headers.Remove(affinityHeader);
            request.Headers.TryAddWithoutValidation(affinityHeader, key);
        }

        // A retry comes back with the address the last attempt was sent to: start again from the logical one.
        if (request.Options.TryGetValue(LogicalUriKey, out var logical))
        {
            request.RequestUri = logical;
        }
        else if (request.RequestUri is { } uri)
        {
            request.Options.Set(LogicalUriKey, uri);
            logical = uri;
        }

        var replicas = resolver is null || logical is null ? null : await ResolveAsync(resolver, logical, cancellationToken).ConfigureAwait(false);
        if (replicas is not { Count: > 0 })
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        string chosen = balancer.Choose(key, [.. replicas.Keys]);
        request.RequestUri = replicas[chosen];
        var lease = balancer.Enter(chosen);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Content is null)
            {
                lease.Dispose();
                return response;
            }

            response.Content = new ReleasingContent(response.Content, lease);
            return response;
        }
        catch (HttpRequestException e) when (e.StatusCode is null && e.InnerException is SocketException or IOException)
        {
            lease.Dispose();
            balancer.MarkDown(chosen);
            throw;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The replicas of the logical address, by name (<c>host:port</c>), each with the request's address rewritten to it.</summary>
    private static async Task<Dictionary<string, Uri>?> ResolveAsync(ServiceEndpointResolver resolver, Uri logical, CancellationToken cancellationToken)
    {
        var source = await resolver.GetEndpointsAsync(logical.GetLeftPart(UriPartial.Authority), cancellationToken).ConfigureAwait(false);
        if (source.Endpoints.Count <= 1)
        {
            return null;
        }

        var replicas = new Dictionary<string, Uri>(source.Endpoints.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in source.Endpoints)
        {
            var builder = new UriBuilder(logical);
            switch (endpoint.EndPoint)
            {
                case UriEndPoint { Uri: var uri }:
                    builder.Scheme = uri.Scheme;
                    builder.Host = uri.Host;
                    builder.Port = uri.Port;
                    break;
                case IPEndPoint ip:
                    builder.Host = ip.Address.ToString();
                    builder.Port = ip.Port;
                    break;
                case DnsEndPoint dns:
                    builder.Host = dns.Host;
                    builder.Port = dns.Port > 0 ? dns.Port : builder.Port;
                    break;
                default:
                    return null;
            }

            replicas[builder.Uri.Authority] = builder.Uri;
        }

        return replicas;
    }
}
