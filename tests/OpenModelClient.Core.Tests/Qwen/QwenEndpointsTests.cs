using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.Qwen;

/// <summary>Base URLs exactly as Model Studio's documentation gives them.</summary>
public class QwenEndpointsTests
{
    [Theory]
    [InlineData(QwenRegion.Beijing, "https://dashscope.aliyuncs.com/compatible-mode/v1/")]
    [InlineData(QwenRegion.Singapore, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/")]
    [InlineData(QwenRegion.US, "https://dashscope-us.aliyuncs.com/compatible-mode/v1/")]
    [InlineData(QwenRegion.HongKong, "https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1/")]
    public void Every_region_has_its_exact_base_url_and_the_client_uses_it(QwenRegion region, string expected)
    {
        Assert.Equal(new Uri(expected), QwenEndpoints.ForRegion(region));
        using var client = new QwenChatClient(region, "qwen-plus");
        Assert.Equal(new Uri(expected), client.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Equal("qwen", client.GetService<ChatClientMetadata>()!.ProviderName);

        // The base-URI trap: chat/completions must land under /compatible-mode/v1/.
        Assert.Equal(expected + "chat/completions", new Uri(QwenEndpoints.ForRegion(region), "chat/completions").ToString());
    }

    [Theory]
    [InlineData("Singapore", QwenRegion.Singapore)]
    [InlineData("singapore", QwenRegion.Singapore)]
    [InlineData("ap-southeast-1", QwenRegion.Singapore)]
    [InlineData("Hong Kong", QwenRegion.HongKong)]
    [InlineData("cn-hongkong", QwenRegion.HongKong)]
    [InlineData("us-east-1", QwenRegion.US)]
    [InlineData("Virginia", QwenRegion.US)]
    [InlineData("cn-beijing", QwenRegion.Beijing)]
    public void Region_names_from_configuration_are_understood(string name, QwenRegion region) =>
        Assert.Equal(QwenEndpoints.ForRegion(region), QwenEndpoints.ForRegion(name));

    [Fact]
    public void An_unknown_region_name_fails_naming_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => QwenEndpoints.ForRegion("Frankfurt"));
        Assert.Equal("region", e.ParamName);
        Assert.Contains("'Frankfurt'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Beijing, Singapore, US, HongKong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_region_value_fails_naming_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => new QwenChatClient((QwenRegion)42, "qwen-plus"));
        Assert.Contains("Beijing, Singapore, US, HongKong", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new QwenEmbeddingGenerator((QwenRegion)42));
    }

    [Fact]
    public void Workspace_domains_are_built_from_id_and_region()
    {
        Assert.Equal(new Uri("https://ws-abc123.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1/"), QwenEndpoints.ForWorkspace("ws-abc123", "ap-southeast-1"));
        Assert.Equal(new Uri("https://ws1.cn-beijing.maas.aliyuncs.com/compatible-mode/v1/"), QwenEndpoints.ForWorkspace("ws1", QwenRegion.Beijing));
        Assert.Throws<ArgumentException>(() => QwenEndpoints.ForWorkspace("bad/id", "cn-beijing"));
        Assert.Throws<ArgumentException>(() => QwenEndpoints.ForWorkspace("ws1", "cn beijing"));
    }

    [Theory]
    [InlineData("https://dashscope-intl.aliyuncs.com", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/")]
    [InlineData("https://ws1.ap-northeast-1.maas.aliyuncs.com/compatible-mode/v1", "https://ws1.ap-northeast-1.maas.aliyuncs.com/compatible-mode/v1/")]
    [InlineData("https://coding-intl.dashscope.aliyuncs.com/v1/", "https://coding-intl.dashscope.aliyuncs.com/v1/")]
    public void An_explicit_endpoint_is_used_as_given_and_a_bare_host_gets_the_compatible_mode_path(string endpoint, string expected)
    {
        using var client = new QwenChatClient(new Uri(endpoint), "qwen-plus");
        Assert.Equal(new Uri(expected), client.GetService<ChatClientMetadata>()!.ProviderUri);
    }
}
