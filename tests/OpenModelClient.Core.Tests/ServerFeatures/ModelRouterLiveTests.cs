using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>A real llama.cpp router serving two copies of the tiny model through one client.</summary>
public sealed class ModelRouterLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_client_serves_both_models_which_load_wait_with_progress_and_unload()
    {
        LiveLlamaServer.SkipIfAbsent();
        var models = Directory.CreateTempSubdirectory("omc-router-");
        try
        {
            File.Copy(LiveLlamaServer.TinyModel, Path.Combine(models.FullName, "alpha.gguf"));
            File.Copy(LiveLlamaServer.TinyModel, Path.Combine(models.FullName, "beta.gguf"));
            await using var server = await LiveLlamaServer.StartAsync(["--models-dir", models.FullName, "-c", "1024", "-np", "1", "--jinja", "--chat-template-file", LiveLlamaServer.Template("Qwen-Qwen2.5-7B-Instruct.jinja")]);
            using var client = new LlamaCppChatClient(server.Endpoint);
            var lifecycle = client.GetService<IModelLifecycle>()!;

            Assert.Equal(["alpha: Unloaded", "beta: Unloaded"], (await lifecycle.GetModelStatusesAsync(Ct)).Select(s => s.ToString()));
            Assert.True((await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).SupportsModelRouting);

            var seen = new List<ModelStatus>();
            await lifecycle.LoadModelAsync("alpha", Ct);
            await lifecycle.WaitUntilLoadedAsync("alpha", TimeSpan.FromSeconds(60), new ModelRouterTests.SynchronousProgress(seen), Ct);
            Assert.Equal(ModelLoadState.Loaded, seen[^1].State);
            Assert.All(seen, s => Assert.Equal("alpha", s.ModelId));

            // Both models through the same client, the model chosen per request; beta loads on demand.
            foreach (var model in new[] { "alpha", "beta" })
            {
                var response = await client.GetResponseAsync("hi", new ChatOptions { ModelId = model, MaxOutputTokens = 2, Seed = 3 }, Ct);
                Assert.Equal(model, response.ModelId);
                Assert.Equal(2, response.Usage!.OutputTokenCount);
            }

            await lifecycle.UnloadModelAsync("alpha", Ct);
            await WaitForStateAsync(lifecycle, "alpha", ModelLoadState.Unloaded);
            Assert.Contains(await lifecycle.GetModelStatusesAsync(Ct), s => s.ModelId == "beta" && s.State == ModelLoadState.Loaded);

            var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => client.GetResponseAsync("hi", new ChatOptions { ModelId = "gamma", MaxOutputTokens = 2 }, Ct));
            Assert.Contains("gamma", e.Message, StringComparison.Ordinal);

            // Warm-up through the router: loads alpha again and prefills the system prompt.
            await lifecycle.WarmUpAsync("alpha", "You are terse.", Ct);
            Assert.Contains(await lifecycle.GetModelStatusesAsync(Ct), s => s.ModelId == "alpha" && s.State == ModelLoadState.Loaded);
        }
        finally
        {
            models.Delete(recursive: true);
        }
    }

    private static async Task WaitForStateAsync(IModelLifecycle lifecycle, string model, ModelLoadState state)
    {
        for (int i = 0; i < 200; i++)
        {
            if ((await lifecycle.GetModelStatusesAsync(Ct)).Any(s => s.ModelId == model && s.State == state))
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"{model} never reached {state}");
    }
}
