using System.Text;
using System.Text.Json;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.Shared;

namespace OpenModelClient.Tests.OpenAICompatible;

/// <summary>The one-pass chunk reader must build exactly what the serializer builds, or hand the event back to it.</summary>
public class ChatCompletionChunkReaderTests
{
    private const string Text = """{"id":"c1","object":"chat.completion.chunk","created":1750000000,"model":"m","system_fingerprint":"fp","choices":[{"index":0,"delta":{"content":" hi"},"logprobs":null,"finish_reason":null}]}""";

    public static TheoryData<string> RecordedEvents()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(HttpTranscript.FixturesRoot, "response.http", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line != "data: [DONE]")
                {
                    data.Add(line["data: ".Length..]);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> EdgeCases() =>
    [
        Text,
        """{"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1,"id":"x","model":"m","object":"chat.completion.chunk"}""",
        """{"choices":[{"index":0,"delta":{"reasoning_content":"think","reasoning":"alt","refusal":"no"}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":null,"function":{"arguments":"1}"}},{"id":"","function":null}]}}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":{"a":1}}}]}}]}""",
        """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":null,"timings":null}""",
        """{"choices":[{"index":0,"delta":{},"logprobs":{"content":[{"token":"a","logprob":-0.5}]}}]}""",
        """{"choices":[{"index":1,"message":{"role":"assistant","content":"whole"}},{"index":0,"delta":null}]}""",
        """{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""",
        """{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"timings":{"prompt_n":1,"predicted_n":2}}""",
        """{"error":{"code":500,"message":"boom"}}""",
        """{"object":"error","message":"flat vLLM error","code":400}""",
        """{"id":"x","created":"1750000000","choices":[{"index":"0","delta":{"content":"numbers as strings"}}]}""",
        """{"created":1.5,"choices":null}""",
        """{"created":null,"choices":[null]}""",
        """{"choices":[{"index":null,"delta":{"content":"x"}}]}""",
        """{"choices":[{"index":0,"delta":{"content":42}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"a"},"extra":{"nested":[1,{"x":[]}]}}],"unknown":[true,false,null]}""",
        """{"\u0069d":"escaped name","choices":[{"index":0,"delta":{"content":"caf\u00e9 \ud83d\ude00 \"q\"\n"}}]}""",
        """{"id":"first","id":"second","choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}""",
        """{"Id":"wrong case","CHOICES":[]}""",
        """{"choices":[{"index":0,"delta":{"content":"a"}}]} trailing""",
        """{"choices":[{"index":0,"delta":{"content":"a"}}]}   """,
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"unterminated",
        """{}""",
        """null""",
        """[]""",
        "\"a string\"",
        """{"choices":{"index":0}}""",
        """{"choices":[{"index":0,"delta":"text"}]}""",
        """{"choices":[{"index":0,"delta":{"tool_calls":{"index":0}}}]}""",
        """{"choices":[{"index":0,"delta":{"role":7}}]}""",
        """{"choices":[{"index":2147483648,"delta":{}}]}""",
    ];

    [Theory]
    [MemberData(nameof(RecordedEvents))]
    [MemberData(nameof(EdgeCases))]
    public void TryRead_AnyEvent_BuildsWhatTheSerializerBuilds(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        string expected = ViaSerializer(bytes);
        string actual = new ChatCompletionChunkReader().TryRead(bytes, out var chunk) ? Serialize(chunk!) : ViaSerializer(bytes);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TryRead_OneReaderOverEveryEventInTurn_LeavesNothingOfTheChunkBefore()
    {
        // The reader reuses its chunk, choice, message and tool-call objects: each event must come out as if it were the only one,
        // whatever preceded it (including an event that failed half-way through).
        string[] events = [.. RecordedEvents().Select(row => row.Data), .. EdgeCases().Select(row => row.Data)];
        var reader = new ChatCompletionChunkReader();
        int fastPath = 0;
        foreach (var json in events.Concat(events.Reverse()))
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            if (reader.TryRead(bytes, out var chunk))
            {
                fastPath++;
                Assert.Equal(ViaSerializer(bytes), Serialize(chunk!));
            }
        }

        Assert.True(fastPath > events.Length, $"only {fastPath} of {2 * events.Length} events took the fast path");
    }

    [Fact]
    public void TryRead_StreamsWhoseShapeRepeatsThenChanges_BuildWhatTheSerializerBuilds()
    {
        // The reader skips tokenizing a chunk that is the last one again but for its text (content, reasoning, refusal, tool-call
        // arguments). Every way a chunk can stop being that must be noticed: a number that changed, a member added, dropped, moved or
        // duplicated, a null where text was, whitespace, chunks that go to the serializer half-way, and text that is not a plain
        // string (escapes, quotes that end it early, control characters, invalid UTF-8).
        var random = new Random(20261124);
        string[] ids = ["\"a\"", "\"ab\"", "\"\\u0061\"", "null"];
        string[] created = ["1", "17", "175", "1750000000", "17500000001", "null", "1.5", "\"1\""];
        string[] models = ["\"m\"", "\"m2\"", "null"];
        string[] extras = ["\"usage\":null", "\"x\":[1,{\"choices\":2}]", "\"id\":\"late\"", "\"choices\":[]", "\"usage\":{\"prompt_tokens\":1}", "\"timings\":null"];
        string[] choices =
        [
            "[{\"index\":0,\"delta\":{\"content\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{\"content\":\"TEXT\"},\"logprobs\":null,\"finish_reason\":null}]",
            "[{\"finish_reason\":null,\"index\":0,\"delta\":{\"reasoning_content\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{\"content\":null,\"reasoning\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{\"content\":\"TEXT\",\"reasoning_content\":\"TEXT\",\"refusal\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"TEXT\"}}]}}]",
            "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"TEXT\"}},{\"index\":1,\"function\":{\"arguments\":\"TEXT\"}}]}}]",
            "[{\"index\":0,\"delta\":{\"content\":\"TEXT\"}},{\"index\":1,\"delta\":{\"content\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{\"content\":\"TEXT\",\"content\":\"TEXT\"}}]",
            "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]",
            "[]",
            "null",
        ];

        var members = new List<(string Name, string[] Values, int Pick)>
        {
            ("id", ids, 0), ("object", ["\"chat.completion.chunk\""], 0), ("created", created, 3), ("model", models, 0), ("system_fingerprint", ["\"fp\"", "\"fp2\""], 0),
        };
        int choicesAt = members.Count;
        int shape = 0;
        string? extra = null;
        bool extraFirst = false;
        string colon = ":", comma = ",";
        var reader = new ChatCompletionChunkReader();
        int fastPath = 0;
        for (int i = 0; i < 3000; i++)
        {
            // Mostly the same envelope as the chunk before, as in a real stream; now and then one thing about it changes.
            switch (random.Next(24))
            {
                case 0: int m = random.Next(members.Count); members[m] = (members[m].Name, members[m].Values, random.Next(members[m].Values.Length)); break;
                case 1: choicesAt = random.Next(members.Count + 1); break;
                case 2: extra = random.Next(3) == 0 ? null : extras[random.Next(extras.Length)]; extraFirst = random.Next(2) == 0; break;
                case 3: colon = random.Next(4) == 0 ? " : " : ":"; comma = random.Next(4) == 0 ? " , " : ","; break;
                case 4: int a = random.Next(members.Count), b = random.Next(members.Count); (members[a], members[b]) = (members[b], members[a]); break;
                case 5: case 6: shape = random.Next(choices.Length); break;
            }

            var parts = members.Select(member => $"\"{member.Name}\"{colon}{member.Values[member.Pick]}").ToList();
            parts.Insert(choicesAt, $"\"choices\"{colon}{choices[random.Next(8) == 0 ? random.Next(choices.Length) : shape]}");
            if (extra is not null)
            {
                parts.Insert(extraFirst ? 0 : parts.Count, extra);
            }

            var bytes = StreamText.Fill(Encoding.UTF8.GetBytes("{" + string.Join(comma, parts) + "}"), random);
            string expected = ReadOutcome.Of(() => ViaSerializer(bytes));
            string actual = ReadOutcome.Of(() => reader.TryRead(bytes, out var chunk) ? Serialize(chunk!) : null);
            if (actual != "fallback")
            {
                fastPath++;
                Assert.True(expected == actual, $"chunk {i}: {Encoding.UTF8.GetString(bytes)}\nexpected {expected}\nactual   {actual}");
            }
        }

        // The test means nothing unless the skipping happened often, and missed often too.
        var (hits, misses) = reader.ShapeHits;
        Assert.True(fastPath > 1500, $"fast path {fastPath}");
        Assert.True(hits > 1000 && misses > 300, $"{hits} chunks matched the last chunk's shape and {misses} did not, of 3000 (fast path {fastPath})");
    }

    [Theory]
    [InlineData("""{"created":17,"choices":[]}""", """{"created":175,"choices":[]}""")]
    [InlineData("""{"id":"a","created":1,"choices":[]}""", """{"id":"a","created":1.5,"choices":[]}""")]
    [InlineData("""{"id":"a","choices":[],"model":"m"}""", """{"id":"b","choices":[],"model":"m"}""")]
    [InlineData("""{"id":"a","choices":[],"model":"m"}""", """{"id":"a","choices":null,"model":"m"}""")]
    [InlineData("""{"id":"a","choices":[],"model":"m"}""", """{"id":"a","choices":[],"model":"m"} """)]
    [InlineData("""{"id":"a","choices":[],"model":"m"}""", """{"id":"a","choices":[],"model":"m","id":"b"}""")]
    [InlineData("""{"id":"a","model":"m","choices":[]}""", """{"id":"a","model":"m"}""")]
    [InlineData("""{"id":"a","model":"m","choices":[]}""", """{"id":"a","model":"m","error":{"message":"boom"}}""")]
    public void TryRead_AChunkThatRepeatsOnlyPartOfTheLastShape_IsReadInFull(string first, string second)
    {
        var reader = new ChatCompletionChunkReader();
        foreach (var json in new[] { first, first, second })
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            string actual = reader.TryRead(bytes, out var chunk) ? Serialize(chunk!) : ViaSerializer(bytes);
            Assert.Equal(ViaSerializer(bytes), actual);
        }
    }

    [Theory]
    [InlineData(Text)]
    [InlineData("""{"choices":[{"finish_reason":null,"index":0,"delta":{"tool_calls":[{"index":0,"id":"i","type":"function","function":{"name":"f","arguments":"{"}}]}}],"created":1,"id":"x","model":"m","object":"chat.completion.chunk"}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"reasoning_content":"r"},"logprobs":{"content":[]}}],"usage":null}""")]
    public void TryRead_EverydayChunks_TakeTheFastPath(string json) =>
        Assert.True(new ChatCompletionChunkReader().TryRead(Encoding.UTF8.GetBytes(json), out _));

    [Theory]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1}}""")]
    [InlineData("""{"error":{"message":"boom"}}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":{"a":1}}}]}}]}""")]
    [InlineData("""{"created":"1"}""")]
    [InlineData("""{"choices":[]} x""")]
    public void TryRead_RareOrInvalidEvents_GoBackToTheSerializer(string json) =>
        Assert.False(new ChatCompletionChunkReader().TryRead(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void TryRead_RepeatedFields_ReuseTheFirstChunksStrings()
    {
        var reader = new ChatCompletionChunkReader();
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Text), out var first));
        string? firstId = first!.Id, firstModel = first.Model, firstObject = first.Object;
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Text.Replace(" hi", " there", StringComparison.Ordinal)), out var second));
        Assert.Same(firstId, second!.Id);
        Assert.Same(firstModel, second.Model);
        Assert.Same(firstObject, second.Object);
        Assert.Equal(" there", second.Choices![0].Delta!.Content);

        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Text.Replace("\"c1\"", "\"c2\"", StringComparison.Ordinal)), out var third));
        Assert.Equal("c2", third!.Id);
    }

    [Fact]
    public void TheReader_KnowsEveryPropertyOfTheWireTypes()
    {
        // A property added to a DTO must be taught to ChatCompletionChunkReader, or it would be skipped there but read by the serializer.
        var context = OpenAICompatibleJsonContext.Default;
        Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices", "usage", "timings", "error", "message"], Names(context.ChatCompletionResponse));
        Assert.Equal(["index", "message", "delta", "finish_reason", "logprobs"], Names(context.ChatCompletionChoice));
        Assert.Equal(["role", "content", "reasoning_content", "reasoning", "refusal", "tool_calls"], Names(context.ChatCompletionMessage));
        Assert.Equal(["index", "id", "type", "function"], Names(context.ChatCompletionToolCall));
        Assert.Equal(["name", "arguments"], Names(context.ChatCompletionFunctionCall));
    }

    [Fact]
    public void Reset_ClearsEveryPropertyOfTheReusedWireTypes()
    {
        // The reader reuses these objects; a property that Reset forgot would leak from one chunk into the next.
        var context = OpenAICompatibleJsonContext.Default;
        WireObjectAssert.ResetClearsEveryProperty(context.ChatCompletionResponse, """{"id":"a","object":"o","created":1,"model":"m","system_fingerprint":"f","choices":[],"usage":{"prompt_tokens":1},"timings":{"prompt_n":1},"error":{"x":1},"message":"e"}""");
        WireObjectAssert.ResetClearsEveryProperty(context.ChatCompletionChoice, """{"index":3,"message":{},"delta":{},"finish_reason":"stop","logprobs":{}}""");
        WireObjectAssert.ResetClearsEveryProperty(context.ChatCompletionMessage, """{"role":"r","content":"c","reasoning_content":"rc","reasoning":"r2","refusal":"no","tool_calls":[]}""");
        WireObjectAssert.ResetClearsEveryProperty(context.ChatCompletionToolCall, """{"index":1,"id":"i","type":"function","function":{}}""");
        WireObjectAssert.ResetClearsEveryProperty(context.ChatCompletionFunctionCall, """{"name":"n","arguments":"{}"}""");
    }

    private static string[] Names(System.Text.Json.Serialization.Metadata.JsonTypeInfo typeInfo) => [.. typeInfo.Properties.Select(p => p.Name)];

    private static string ViaSerializer(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OpenAICompatibleJsonContext.Default.ChatCompletionResponse) is { } chunk ? Serialize(chunk) : "null";
        }
        catch (JsonException)
        {
            return "JsonException";
        }
    }

    private static string Serialize(ChatCompletionResponse chunk) => JsonSerializer.Serialize(chunk, OpenAICompatibleJsonContext.Default.ChatCompletionResponse);
}
