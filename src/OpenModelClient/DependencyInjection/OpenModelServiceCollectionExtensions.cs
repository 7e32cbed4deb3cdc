using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenModelClient;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers configuration-driven OpenModelClient chat clients and embedding generators.</summary>
public static class OpenModelServiceCollectionExtensions
{
    internal const string HttpClientNamePrefix = "OpenModelClient:";

    /// <summary>Registers an <see cref="IChatClient"/> for the provider a configuration section names.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("OpenModel")</c>, or a section holding a connection string (<c>Provider=…;Endpoint=…</c>).</param>
    /// <param name="lifetime">The client's lifetime; singleton by default, as for <c>AddChatClient</c>.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to, e.g. <c>.UseFunctionInvocation()</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>The options are validated on start-up (<c>ValidateOnStart</c>) and on first use; an invalid value fails with a message naming the key.</remarks>
    public static ChatClientBuilder AddOpenModelChatClient(this IServiceCollection services, IConfiguration configuration, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddChatClientCore(services, serviceKey: null, configuration, configure: null, lifetime);
    }

    /// <summary>Registers an <see cref="IChatClient"/> configured in code, e.g. <c>o =&gt; { o.Provider = OpenModelProvider.Ollama; o.Model = "qwen3:4b"; }</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="lifetime">The client's lifetime; singleton by default.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddOpenModelChatClient(this IServiceCollection services, Action<OpenModelClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddChatClientCore(services, serviceKey: null, configuration: null, configure, lifetime);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> for the provider a configuration section names, so several can coexist.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key, e.g. <c>"local"</c>.</param>
    /// <param name="configuration">The section.</param>
    /// <param name="lifetime">The client's lifetime; singleton by default.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedOpenModelChatClient(this IServiceCollection services, object serviceKey, IConfiguration configuration, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddChatClientCore(services, serviceKey, configuration, configure: null, lifetime);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> configured in code, so several can coexist.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key, e.g. <c>"local"</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="lifetime">The client's lifetime; singleton by default.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedOpenModelChatClient(this IServiceCollection services, object serviceKey, Action<OpenModelClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddChatClientCore(services, serviceKey, configuration: null, configure, lifetime);
    }

    /// <summary>Registers an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for the provider a configuration section names (its <c>EmbeddingModel</c>, else <c>Model</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section.</param>
    /// <param name="lifetime">The generator's lifetime; singleton by default.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddOpenModelEmbeddingGenerator(this IServiceCollection services, IConfiguration configuration, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddEmbeddingGeneratorCore(services, serviceKey: null, configuration, configure: null, lifetime);
    }

    /// <summary>Registers an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> configured in code (its <c>EmbeddingModel</c>, else <c>Model</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="lifetime">The generator's lifetime; singleton by default.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddOpenModelEmbeddingGenerator(this IServiceCollection services, Action<OpenModelClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddEmbeddingGeneratorCore(services, serviceKey: null, configuration: null, configure, lifetime);
    }

    /// <summary>Registers a keyed <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for the provider a configuration section names.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key, e.g. <c>"search"</c>.</param>
    /// <param name="configuration">The section.</param>
    /// <param name="lifetime">The generator's lifetime; singleton by default.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedOpenModelEmbeddingGenerator(this IServiceCollection services, object serviceKey, IConfiguration configuration, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddEmbeddingGeneratorCore(services, serviceKey, configuration, configure: null, lifetime);
    }

    /// <summary>Registers a keyed <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key, e.g. <c>"search"</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="lifetime">The generator's lifetime; singleton by default.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedOpenModelEmbeddingGenerator(this IServiceCollection services, object serviceKey, Action<OpenModelClientOptions> configure, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return AddEmbeddingGeneratorCore(services, serviceKey, configuration: null, configure, lifetime);
    }

    /// <summary>Registers an <see cref="IReranker"/> for the provider a configuration section names (llama.cpp, an OpenAI-compatible server such as
    /// vLLM, or Qwen's <c>qwen3-rerank</c>), with the same resilience pipeline and telemetry as the chat client.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section: <c>Provider</c>, <c>Endpoint</c>, <c>Model</c> (the reranker model), <c>ApiKey</c>, and the usual
    /// <c>Timeouts</c>, <c>Retry</c>, <c>Telemetry</c> and <c>Limits</c> keys.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>A provider without a rerank API (DeepSeek, Ollama) fails when the reranker is first resolved, naming the provider.</remarks>
    public static IServiceCollection AddOpenModelReranker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        string name = Register(services, serviceKey: null, configuration, configure: null, suffix: ":rerank");
        services.AddSingleton<IReranker>(sp =>
        {
            var options = Resolve(sp, name);
            var reranker = OpenModelClientFactory.CreateReranker(options, CreateHttpClient(sp, name));
            return options.Telemetry.Enabled ? new TelemetryReranker(reranker, OpenModelProviders.For(options.Provider!.Value).TelemetryName(options), options.Model) : reranker;
        });
        return services;
    }

    /// <summary>Registers the unkeyed <see cref="IChatClient"/> as a <see cref="OpenModelFailoverChatClient"/> over keyed clients, tried in the order given.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKeys">The keys of clients registered with <c>AddKeyedOpenModelChatClient</c> (or any keyed <see cref="IChatClient"/>), most preferred first.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware around the whole chain, e.g. <c>.UseFunctionInvocation()</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No key is given.</exception>
    /// <remarks>The switch happens only before any output: see <see cref="OpenModelFailoverChatClient"/>.</remarks>
    public static ChatClientBuilder AddOpenModelFailoverChatClient(this IServiceCollection services, params object[] serviceKeys)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKeys);
        if (serviceKeys.Length == 0)
        {
            throw new ArgumentException("Name at least one keyed chat client to fail over between.", nameof(serviceKeys));
        }

        return services.AddChatClient(sp => new OpenModelFailoverChatClient(
            serviceKeys.Select(key => sp.GetRequiredKeyedService<IChatClient>(key)),
            sp.GetService<ILoggerFactory>()?.CreateLogger<OpenModelFailoverChatClient>()));
    }

    internal static EmbeddingGeneratorBuilder<string, Embedding<float>> AddEmbeddingGeneratorCore(IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<OpenModelClientOptions>? configure, ServiceLifetime lifetime, string? sectionPath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = Register(services, serviceKey, configuration, configure, suffix: ":embeddings", sectionPath);
        Func<IServiceProvider, IEmbeddingGenerator<string, Embedding<float>>> factory = sp =>
        {
            var options = Resolve(sp, name);
            var generator = OpenModelClientFactory.CreateEmbeddingGenerator(options, CreateHttpClient(sp, name));
            if (options.Telemetry.Enabled)
            {
                generator = new OpenTelemetryEmbeddingGenerator<string, Embedding<float>>(generator, sp.GetService<ILoggerFactory>()?.CreateLogger(OpenModelTelemetry.SourceName), OpenModelTelemetry.SourceName) { EnableSensitiveData = options.Telemetry.EnableSensitiveData };
            }

            // Outside telemetry, so that each request (batch) gets its own span; each batch goes through the retry pipeline alone.
            return new BatchingEmbeddingGenerator(generator, OpenModelEmbeddingOptions.EffectiveBatchSize(options), OpenModelEmbeddingOptions.EffectiveMaxParallelism(options));
        };
        return serviceKey is null ? services.AddEmbeddingGenerator(factory, lifetime) : services.AddKeyedEmbeddingGenerator(serviceKey, factory, lifetime);
    }

    internal static ChatClientBuilder AddChatClientCore(IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<OpenModelClientOptions>? configure, ServiceLifetime lifetime, string? sectionPath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = Register(services, serviceKey, configuration, configure, suffix: string.Empty, sectionPath);
        Func<IServiceProvider, IChatClient> factory = sp =>
        {
            var options = Resolve(sp, name);
            IChatClient client = OpenModelClientFactory.CreateChatClient(options, CreateHttpClient(sp, name), sp.GetService<ILoggerFactory>());
            if (options.Routing.UsesAffinity)
            {
                // Hands the conversation's prefix key to the routing handler of the same call.
                client = new PrefixAffinityChatClient(client);
            }
            if (options.CapabilityGuard)
            {
                // Innermost, next to the provider client whose capability profile it reads: what it drops never reaches the wire.
                client = new CapabilityGuardChatClient(client, sp.GetService<ILoggerFactory>()) { CheckContextLength = options.CheckContextLength };
            }

            // Telemetry sits right around the provider client, so each model call gets its own span, whatever middleware the caller adds.
            if (options.Telemetry.Enabled)
            {
                client = new OpenTelemetryChatClient(new ServerTimingsMetricsChatClient(client), sp.GetService<ILoggerFactory>()?.CreateLogger(OpenModelTelemetry.SourceName), OpenModelTelemetry.SourceName) { EnableSensitiveData = options.Telemetry.EnableSensitiveData };
            }

            // The guards sit outside telemetry, so a call they repeat gets its own span, and inside whatever the caller adds (function invocation).
            return AddGuards(client, options.Guards, sp.GetService<ILoggerFactory>());
        };
        return serviceKey is null ? services.AddChatClient(factory, lifetime) : services.AddKeyedChatClient(serviceKey, factory, lifetime);
    }

    /// <summary>Innermost first: a cut-off call is stopped before repair could "fix" it; the schema is checked on the final reply.</summary>
    private static IChatClient AddGuards(IChatClient client, OpenModelGuardOptions guards, ILoggerFactory? loggerFactory)
    {
        if (guards.TruncatedToolCall)
        {
            client = new TruncatedToolCallChatClient(client, loggerFactory) { RetryWithLargerLimit = guards.RetryTruncatedToolCall };
        }

        if (guards.ToolCallRepair)
        {
            client = new ToolCallRepairChatClient(client, loggerFactory) { MaxCorrections = guards.MaxToolCallCorrections };
        }

        if (guards.AnswerRoom)
        {
            client = new AnswerRoomChatClient(client, loggerFactory) { AnswerShare = guards.AnswerShare, RetryWithoutThinking = guards.RetryWithoutThinking };
        }

        return guards.Schema ? new JsonSchemaGuardChatClient(client, JsonSchemaValidation.FirstViolation, loggerFactory) : client;
    }

    private static string Register(IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<OpenModelClientOptions>? configure, string suffix, string? sectionPathOverride = null)
    {
        string name = (serviceKey is null ? Options.Options.DefaultName : $"keyed:{serviceKey}") + suffix;
        string sectionPath = sectionPathOverride ?? (configuration as IConfigurationSection)?.Path ?? "OpenModel";
        var builder = services.AddOptions<OpenModelClientOptions>(name);
        if (configuration is not null)
        {
            builder.Configure(options =>
            {
                if (configuration is IConfigurationSection { Value: { Length: > 0 } connectionString })
                {
                    OpenModelConnectionString.Apply(connectionString, options, sectionPath);
                }
                else
                {
                    OpenModelOptionsBinder.Bind(configuration, options, sectionPath);
                }
            });
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenModelClientOptions>>(new OpenModelClientOptionsValidator(name, sectionPath, forEmbeddings: suffix.Length > 0));

        // The handler chain is fixed at registration, so whether replicas are resolved is read from the settings now.
        var snapshot = new OpenModelClientOptions();
        if (configuration is not null)
        {
            OpenModelOptionsBinder.Bind(configuration, snapshot, sectionPath);
        }

        configure?.Invoke(snapshot);
        if (snapshot.Concurrency.IsEnabled)
        {
            services.AddKeyedSingleton(name, (sp, _) => ConcurrencyGates.Create(Resolve(sp, name), sp.GetService<ILoggerFactory>()));
        }

        var http = OpenModelHttpClientRegistration.Add(services, HttpClientNamePrefix + name, name, snapshot.Concurrency.IsEnabled);
        if (snapshot.Routing.UsesAffinity)
        {
            // Inside the retries (each attempt chooses again), before service discovery (which passes a concrete address through).
            bool replicas = snapshot.ServiceDiscovery && snapshot.Routing.Strategy == OpenModelRoutingStrategy.PrefixAffinity;
            services.AddKeyedSingleton(name, (sp, _) => new ReplicaBalancer(Resolve(sp, name).Routing.LoadFactor, sp.GetService<TimeProvider>() ?? TimeProvider.System));
            http.AddHttpMessageHandler(sp => new AffinityRoutingHandler(
                sp.GetRequiredKeyedService<ReplicaBalancer>(name),
                replicas ? sp.GetRequiredService<Microsoft.Extensions.ServiceDiscovery.ServiceEndpointResolver>() : null,
                Resolve(sp, name).Routing.AffinityHeader));
        }

        if (snapshot.ServiceDiscovery)
        {
            services.AddServiceDiscovery();
            http.AddServiceDiscovery();
        }

        return name;
    }

    private static OpenModelClientOptions Resolve(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(name);

    private static HttpClient CreateHttpClient(IServiceProvider services, string name) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientNamePrefix + name);
}
