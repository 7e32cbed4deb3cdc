using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using Perfolizer.Horology;

namespace OpenModelClient.Benchmarks;

internal static class BenchmarkConfig
{
    /// <summary>
    /// A short job for a 2-core machine: one launch, 3 warm-ups, 10 measured iterations of about 250 ms. Enough for stable medians
    /// and ratios measured in the same run; not for absolute numbers to compare across machines.
    /// </summary>
    public static Job ShortJob { get; } = Job.Default
        .WithId("Short")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));

    public static IConfig Create(bool withShortJob)
    {
        var config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median, new MedianRatioColumn(), new MedianDeltaColumn(), new BytesPerChunkColumn())
            .HideColumns(Column.Error, Column.RatioSD, Column.Gen1, Column.Gen2)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        return withShortJob ? config.AddJob(ShortJob.AsDefault()) : config;
    }
}
