using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.Shared;

public class ThinkTagSplitterTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "<think>\nweigh options</think>\n\nThe answer is 4.", "\nweigh options", "The answer is 4." },
        { "  <think>r</think>a", "r", "a" },
        { "no tags here", "", "no tags here" },
        { "<thin>not a tag", "", "<thin>not a tag" },
        { "answer first <think>late</think>", "", "answer first <think>late</think>" },
        { "<think>never closed", "never closed", "" },
        { "<think></think>only answer", "", "only answer" },
        { "<", "", "<" },
        { "<think>a</thin", "a</thin", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Splits_the_same_whatever_the_chunk_boundaries(string input, string expectedReasoning, string expectedText)
    {
        // Every way of cutting the input in two, and one character per chunk.
        for (int cut = 0; cut <= input.Length; cut++)
        {
            AssertSplit([input[..cut], input[cut..]], expectedReasoning, expectedText);
        }

        AssertSplit(input.Select(c => c.ToString()).ToArray(), expectedReasoning, expectedText);
    }

    [Fact]
    public void Every_three_way_cut_of_both_tags_gives_the_same_split()
    {
        const string input = "<think>ab</think>cd";
        for (int i = 0; i <= input.Length; i++)
        {
            for (int j = i; j <= input.Length; j++)
            {
                AssertSplit([input[..i], input[i..j], input[j..]], "ab", "cd");
            }
        }
    }

    [Fact]
    public void Reasoning_is_released_while_streaming_not_only_at_the_end()
    {
        var splitter = new ThinkTagSplitter();
        var output = new List<AIContent>();
        splitter.Process("<think>first thoughts", output);
        Assert.Equal("first thoughts", Assert.IsType<TextReasoningContent>(Assert.Single(output)).Text);
    }

    [Fact]
    public void A_partial_closing_tag_is_held_back_until_decided()
    {
        var splitter = new ThinkTagSplitter();
        var output = new List<AIContent>();
        splitter.Process("<think>x</thi", output);
        Assert.Equal("x", Assert.IsType<TextReasoningContent>(Assert.Single(output)).Text);
        splitter.Process("nk>y", output);
        Assert.Equal("y", Assert.IsType<TextContent>(output[^1]).Text);
    }

    [Fact]
    public void SplitComplete_handles_a_block_opened_by_the_template()
    {
        // DeepSeek-R1 style templates end the prompt with "<think>\n", so only "</think>" appears in the reply.
        var output = new List<AIContent>();
        ThinkTagSplitter.SplitComplete("pondering</think>\n\nHello", output);
        Assert.Equal("pondering", Assert.IsType<TextReasoningContent>(output[0]).Text);
        Assert.Equal("Hello", Assert.IsType<TextContent>(output[1]).Text);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitComplete_splits_a_whole_text_like_the_stream(string input, string expectedReasoning, string expectedText)
    {
        var output = new List<AIContent>();
        ThinkTagSplitter.SplitComplete(input, output);
        Assert.Equal(expectedReasoning, string.Concat(output.OfType<TextReasoningContent>().Select(c => c.Text)));
        Assert.Equal(expectedText, string.Concat(output.OfType<TextContent>().Select(c => c.Text)));
        Assert.DoesNotContain(output, c => c is TextContent { Text.Length: 0 } or TextReasoningContent { Text.Length: 0 });
    }

    [Fact]
    public void Reasoning_chunks_without_a_tag_character_pass_through_whole()
    {
        var splitter = new ThinkTagSplitter();
        var output = new List<AIContent>();
        foreach (var chunk in new[] { "<think>", "step one", ", step two", " a<b", " done", "</think>", "answer" })
        {
            splitter.Process(chunk, output);
        }

        splitter.Flush(output);
        Assert.Equal("step one, step two a<b done", string.Concat(output.OfType<TextReasoningContent>().Select(c => c.Text)));
        Assert.Equal("answer", string.Concat(output.OfType<TextContent>().Select(c => c.Text)));
    }

    private static void AssertSplit(string[] chunks, string expectedReasoning, string expectedText)
    {
        var splitter = new ThinkTagSplitter();
        var output = new List<AIContent>();
        foreach (var chunk in chunks)
        {
            splitter.Process(chunk, output);
        }

        splitter.Flush(output);
        var cutDescription = string.Join("|", chunks);
        Assert.True(expectedReasoning == string.Concat(output.OfType<TextReasoningContent>().Select(c => c.Text)), $"reasoning differs for chunks {cutDescription}");
        Assert.True(expectedText == string.Concat(output.OfType<TextContent>().Select(c => c.Text)), $"text differs for chunks {cutDescription}");
        Assert.DoesNotContain(output, c => c is TextContent { Text.Length: 0 } or TextReasoningContent { Text.Length: 0 });
    }
}
