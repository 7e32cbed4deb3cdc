using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Shared;

public class ConcurrencyAndTlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_client_serves_64_concurrent_streams_each_complete_and_apart()
    {
        var ok = ReplayResponse.FromFixture("llama.cpp", "chat-stream-include-usage");
        await using var server = await ReplayServer.StartAsync([.. Enumerable.Repeat(ok, 64)]);
        var client = new LlamaCppChatClient(server.BaseAddress);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                updates.Add(update);
            }

            return updates.ToChatResponse();
        }));

        Assert.All(results, r =>
        {
            Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", r.Text);
            Assert.Equal(8, r.Usage!.OutputTokenCount);
            Assert.Equal(ChatFinishReason.Length, r.FinishReason);
        });
        Assert.Equal(64, server.Requests.Count);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));

        client.Dispose();
        await server.WaitForActiveConnectionsAsync(0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_untrusted_server_certificate_is_refused_not_bypassed()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        await using var app = builder.Build();
        int hits = 0;
        app.Run(context =>
        {
            Interlocked.Increment(ref hits);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{}", Ct);
        });
        await app.StartAsync(Ct);
        var address = new Uri(app.Urls.First());

        using var client = new LlamaCppChatClient(address, options: new LlamaCppClientOptions { ApiKey = "sk-not-for-impostors" });
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(HttpRequestError.SecureConnectionError, e.HttpRequestError);
        Assert.Equal(0, hits);
        await app.StopAsync(Ct);
    }
}
