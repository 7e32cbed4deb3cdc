namespace OpenModelClient;

/// <summary>The Model Studio (DashScope) regions with a shared OpenAI-compatible domain (https://www.alibabacloud.com/help/en/model-studio/regions). An API key works only in its own region.</summary>
public enum QwenRegion
{
    /// <summary>China (Beijing): <c>https://dashscope.aliyuncs.com/compatible-mode/v1</c>.</summary>
    Beijing,

    /// <summary>Singapore (international): <c>https://dashscope-intl.aliyuncs.com/compatible-mode/v1</c>.</summary>
    Singapore,

    /// <summary>US (Virginia): <c>https://dashscope-us.aliyuncs.com/compatible-mode/v1</c>.</summary>
    US,

    /// <summary>China (Hong Kong): <c>https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1</c>.</summary>
    HongKong,
}
