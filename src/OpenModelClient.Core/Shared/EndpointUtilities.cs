namespace OpenModelClient;

/// <summary>Normalises configured base URLs once, so that relative resolution never drops a path segment: <c>new Uri(new Uri("https://h/compatible-mode/v1"), "chat/completions")</c> drops <c>v1</c> unless the base ends in <c>/</c> (RFC 3986 §5.2).</summary>
internal static class EndpointUtilities
{
    /// <summary>Returns <paramref name="endpoint"/> with exactly one trailing slash.</summary>
    public static Uri WithTrailingSlash(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.IsAbsoluteUri && !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            // A user name and password in the URL would travel into connection pool names, logs and metadata; the value is never repeated.
            throw new ArgumentException($"The endpoint {endpoint.Scheme}://…@{endpoint.Authority} carries a user name or password, which would be logged with the URL. Remove it and pass the credential as the API key.", nameof(endpoint));
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The endpoint '{endpoint}' must be an absolute http or https URL, e.g. http://localhost:8080.", nameof(endpoint));
        }

        if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The endpoint '{endpoint}' must use http or https.", nameof(endpoint));
        }

        var builder = new UriBuilder(endpoint) { Query = string.Empty, Fragment = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/";
        return builder.Uri;
    }

    /// <summary>For servers whose documented base is the server root (llama.cpp, Ollama): accepts a trailing <c>/v1</c> and removes it.</summary>
    public static Uri ServerRoot(Uri endpoint)
    {
        var root = WithTrailingSlash(endpoint);
        var path = root.AbsolutePath;
        if (path.EndsWith("/v1/", StringComparison.OrdinalIgnoreCase))
        {
            var builder = new UriBuilder(root) { Path = path[..^3] };
            return builder.Uri;
        }

        return root;
    }
}
