using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.Ollama;

public sealed class OllamaResponseMapperTests
{
    [Theory]
    [InlineData(null, false, "stop")]
    [InlineData("", false, "stop")]
    [InlineData("stop", false, "stop")]
    [InlineData("stop", true, "tool_calls")]
    [InlineData(null, true, "tool_calls")]
    [InlineData("length", true, "length")]
    [InlineData("load", false, "load")]
    [InlineData("unload", false, "unload")]
    public void ToFinishReason_FollowsDesign(string? doneReason, bool sawToolCalls, string expected) =>
        Assert.Equal(new ChatFinishReason(expected), OllamaResponseMapper.ToFinishReason(doneReason, sawToolCalls));

    [Fact]
    public void ToUsage_NothingReported_IsNull() =>
        Assert.Null(OllamaResponseMapper.ToUsage(null, null, null, null, null, null));

    [Fact]
    public void ToUsage_ZeroDuration_HasNoTokensPerSecond()
    {
        var usage = OllamaResponseMapper.ToUsage(10, 5, 100, null, 0, null)!;

        Assert.Equal(15, usage.TotalTokenCount);
        Assert.False(usage.AdditionalCounts!.ContainsKey(UsageCountKeys.PromptTokensPerSecond));
        Assert.False(usage.AdditionalCounts.ContainsKey(UsageCountKeys.OutputTokensPerSecond));
        Assert.False(usage.AdditionalCounts.ContainsKey(UsageCountKeys.LoadDurationNs));
    }

    [Theory]
    [InlineData(15L, 115959084L, 129L)]
    [InlineData(1L, 1_000_000_000L, 1L)]
    [InlineData(3L, 2_000_000_000L, 2L)]
    public void PerSecond_IsCountOverNanosecondsTimesABillion(long count, long durationNs, long expected) =>
        Assert.Equal(expected, OllamaResponseMapper.PerSecond(count, durationNs));

    [Theory]
    [InlineData("2025-10-26T17:15:24.097767Z", 2025, 10, 26, 17, 15, 24, 977670, 0)]
    [InlineData("2025-10-20T09:32:18.757212583-07:00", 2025, 10, 20, 9, 32, 18, 7572125, -7)]
    [InlineData("0001-01-01T00:00:00Z", 1, 1, 1, 0, 0, 0, 0, 0)]
    public void TimestampConverter_ReadsGoTimes(string text, int y, int mo, int d, int h, int mi, int s, long ticks, int offsetHours) =>
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromHours(offsetHours)).AddTicks(ticks), OllamaTimestampConverter.Parse(text));

    [Fact]
    public void TimestampConverter_Garbage_IsNull() => Assert.Null(OllamaTimestampConverter.Parse("yesterday-ish"));
}
