using System.Text;
using System.Text.Json;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.Shared;

namespace OpenModelClient.Tests.Ollama;

/// <summary>The one-pass NDJSON line reader must build exactly what the serializer builds, or hand the line back to it.</summary>
public class OllamaChatLineReaderTests
{
    private const string Text = """{"model":"qwen3","created_at":"2025-10-26T17:15:24.109172Z","message":{"role":"assistant","content":"The"},"done":false}""";

    public static TheoryData<string> RecordedChatLines()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(HttpTranscript.FixturesRoot, "ollama"), "chat-*"))
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, "response.http")))
            {
                if (line.StartsWith('{'))
                {
                    data.Add(line);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> EdgeCases() =>
    [
        Text,
        """{"model":"m","created_at":"2025-06-01T12:00:00.123456789Z","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":1,"load_duration":2,"prompt_eval_count":3,"prompt_eval_duration":4,"eval_count":5,"eval_duration":6}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00.987654321Z","message":{"content":"same second"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00.99999999Z","message":{"content":"eight nines"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00.5Z","message":{"content":"one digit"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00Z","message":{"content":"no fraction"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00.25+02:00","message":{"content":"an offset"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:00.75+02:00","message":{"content":"the same offset"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:01.000000001Z","message":{"content":"next second"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:01.1Zjunk","message":{"content":"bad tail"},"done":false}""",
        """{"model":"m","created_at":"2025-06-01T12:00:01.2\u005a","message":{"content":"escaped"},"done":false}""",
        """{"model":"m","created_at":"not a time","message":null,"done":false}""",
        """{"model":"m","created_at":12,"message":{"content":"x"},"done":false}""",
        """{"model":"m","created_at":null,"message":{"content":"x"},"done":false}""",
        """{"model":"m","created_at":{"a":[1]},"message":{"content":"x"},"done":false}""",
        """{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},"done":false}""",
        """{"model":"m","message":{"content":"x","tool_calls":null},"done":false}""",
        """{"model":"m","message":{"content":"x"},"done":false,"logprobs":[{"token":"x","logprob":-0.1}]}""",
        """{"model":"m","message":{"content":"x"},"done":false,"logprobs":null}""",
        """{"error":"model crashed"}""",
        """{"model":"m","message":{"content":"x"},"done":null}""",
        """{"model":"m","message":{"content":"x"},"done":"false"}""",
        """{"model":"m","message":{"content":7},"done":false}""",
        """{"model":"m","message":{"content":"x"},"done":true,"eval_count":"5"}""",
        """{"model":"m","message":{"content":"x"},"done":true,"eval_count":1.5}""",
        """{"model":"m","message":{"content":"x","images":null,"extra":{"n":[1]}},"done":false,"unknown":true}""",
        """{"\u006dodel":"escaped","message":{"content":"caf\u00e9 \ud83d\ude00 \"q\"\n"},"done":false}""",
        """{"model":"a","model":"b","message":{"content":"x"},"done":false,"done":true}""",
        """{"Model":"wrong case","DONE":true}""",
        """{"model":"m","message":{"content":"x"},"done":false} trailing""",
        "{\"model\":\"m\",\"message\":{\"content\":\"cut",
        """{}""",
        """null""",
        """[]""",
        """{"model":"m","message":"text","done":false}""",
    ];

    [Theory]
    [MemberData(nameof(RecordedChatLines))]
    [MemberData(nameof(EdgeCases))]
    public void TryRead_AnyLine_BuildsWhatTheSerializerBuilds(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        string expected = ViaSerializer(bytes);
        string actual = new OllamaChatLineReader().TryRead(bytes, out var line) ? Serialize(line!) : ViaSerializer(bytes);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TryRead_OneReaderOverEveryLineInTurn_LeavesNothingOfTheLineBefore()
    {
        // The reader reuses its line and message objects: each line must come out as if it were the only one, whatever preceded it.
        string[] lines = [.. RecordedChatLines().Select(row => row.Data), .. EdgeCases().Select(row => row.Data)];
        var reader = new OllamaChatLineReader();
        int fastPath = 0;
        foreach (var json in lines.Concat(lines.Reverse()))
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            if (reader.TryRead(bytes, out var line))
            {
                fastPath++;
                Assert.Equal(ViaSerializer(bytes), Serialize(line!));
            }
        }

        Assert.True(fastPath > lines.Length, $"only {fastPath} of {2 * lines.Length} lines took the fast path");
    }

    [Fact]
    public void TryRead_StreamsWhoseShapeRepeatsThenChanges_BuildWhatTheSerializerBuilds()
    {
        // The reader skips tokenizing a line that is the last one again but for "created_at" and the text. Every way a line can
        // stop being that must be noticed: members added, dropped, moved or duplicated, a number or name that changed, whitespace, bad
        // values, and text that is not a plain string (escapes, quotes that end it early, control characters, invalid UTF-8).
        var random = new Random(20261124);
        var members = new List<(string Name, string[] Values, int Pick)>
        {
            ("model", ["\"qwen3\"", "\"qwen3:8b\"", "null", "\"\\u0071wen3\""], 0),
            ("created_at", ["STAMP", "null"], 0),
            ("message", ["{\"role\":\"assistant\",\"content\":\"TEXT\"}", "{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"TEXT\"}", "{\"content\":\"TEXT\",\"thinking\":\"TEXT\"}", "{\"content\":\"TEXT\"}", "null"], 0),
            ("done", ["false", "true", "null"], 0),
        };
        string[] extras =
        [
            "\"done_reason\":\"stop\"", "\"eval_count\":1", "\"eval_count\":15", "\"eval_count\":1.5", "\"total_duration\":182242375", "\"logprobs\":null",
            "\"logprobs\":[{\"token\":\"x\",\"logprob\":-0.5}]", "\"model\":\"late\"", "\"done\":true", "\"unknown\":[1,{\"message\":2}]", "\"error\":\"boom\"",
        ];
        var extra = new List<string>();
        string colon = ":", comma = ",";
        var reader = new OllamaChatLineReader();
        int fastPath = 0;
        for (int i = 0; i < 3000; i++)
        {
            // Mostly the same line as the one before, as in a real stream; now and then one thing about it changes.
            switch (random.Next(24))
            {
                case 0: int m = random.Next(members.Count); members[m] = (members[m].Name, members[m].Values, random.Next(members[m].Values.Length)); break;
                case 1: int a = random.Next(members.Count), b = random.Next(members.Count); (members[a], members[b]) = (members[b], members[a]); break;
                case 2: if (extra.Count < 3) { extra.Insert(random.Next(extra.Count + 1), extras[random.Next(extras.Length)]); } break;
                case 3: extra.Clear(); break;
                case 4: colon = random.Next(4) == 0 ? " : " : ":"; comma = random.Next(4) == 0 ? " , " : ","; break;
            }

            // Go's RFC 3339: nine digits at most, trailing zeros dropped, none at all on the whole second; now and then an offset or an escape.
            string fraction = ((i * 16_666_667L) % 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0');
            string zone = random.Next(50) switch { 0 => "+02:00", 1 => "\\u005a", 2 => "Zjunk", _ => "Z" };
            string stamp = $"\"2025-10-26T17:15:{24 + (i / 60 % 30)}{(fraction.Length > 0 ? "." + fraction : "")}{zone}\"";
            var parts = members.Select(member => $"\"{member.Name}\"{colon}{member.Values[member.Pick].Replace("STAMP", stamp, StringComparison.Ordinal)}").ToList();
            for (int e = 0; e < extra.Count; e++)
            {
                parts.Insert(Math.Min(parts.Count, (e * 2) + 1), extra[e]);
            }

            var bytes = StreamText.Fill(Encoding.UTF8.GetBytes("{" + string.Join(comma, parts) + "}"), random);
            string expected = ReadOutcome.Of(() => ViaSerializer(bytes));
            string actual = ReadOutcome.Of(() => reader.TryRead(bytes, out var line) ? Serialize(line!) : null);
            if (actual != "fallback")
            {
                fastPath++;
                Assert.True(expected == actual, $"line {i}: {Encoding.UTF8.GetString(bytes)}\nexpected {expected}\nactual   {actual}");
            }
        }

        // The test means nothing unless the skipping happened often, and missed often too.
        var (hits, misses) = reader.ShapeHits;
        Assert.True(fastPath > 1500, $"fast path {fastPath}");
        Assert.True(hits > 1000 && misses > 300, $"{hits} lines matched the last line's shape and {misses} did not, of 3000 (fast path {fastPath})");
    }

    [Fact]
    public void TryRead_AfterManyLinesOfChangingShape_SkipsAgainOnceTheShapeSettles()
    {
        // A stream whose shape changes on every line backs off from recording it; it must not stay backed off once lines repeat.
        var reader = new OllamaChatLineReader();
        for (int i = 0; i < 100; i++)
        {
            Assert.True(reader.TryRead(Encoding.UTF8.GetBytes($$"""{"model":"m","message":{"content":"x"},"eval_count":{{i}},"done":false}"""), out _));
        }

        var (hitsBefore, missesBefore) = reader.ShapeHits;
        Assert.Equal(0, hitsBefore);
        Assert.True(missesBefore < 30, $"{missesBefore} misses: backing off should have stopped most comparisons");
        for (int i = 0; i < 100; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Text.Replace("\"The\"", $"\"word {i}\"", StringComparison.Ordinal));
            Assert.True(reader.TryRead(bytes, out var line));
            Assert.Equal(ViaSerializer(bytes), Serialize(line!));
        }

        Assert.True(reader.ShapeHits.Hits > 50, $"{reader.ShapeHits.Hits} of 100 repeated lines skipped");
    }

    [Theory]
    [InlineData(Text)]
    [InlineData("""{"model":"m","created_at":"2025-06-01T12:00:00.123456789Z","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false}""")]
    [InlineData("""{"model":"m","created_at":"2025-06-01T12:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":1,"eval_count":5}""")]
    public void TryRead_EverydayLines_TakeTheFastPath(string json) =>
        Assert.True(new OllamaChatLineReader().TryRead(Encoding.UTF8.GetBytes(json), out _));

    [Theory]
    [InlineData("""{"error":"boom"}""")]
    [InlineData("""{"model":"m","message":{"content":"","tool_calls":[{"function":{"name":"f","arguments":{}}}]},"done":false}""")]
    [InlineData("""{"done":"true"}""")]
    public void TryRead_RareOrInvalidLines_GoBackToTheSerializer(string json) =>
        Assert.False(new OllamaChatLineReader().TryRead(Encoding.UTF8.GetBytes(json), out _));

    [Fact]
    public void TryRead_RepeatedFields_ReuseTheFirstLinesStrings()
    {
        var reader = new OllamaChatLineReader();
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Text), out var first));
        string? firstModel = first!.Model, firstRole = first.Message!.Role;
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(Text.Replace("\"The\"", "\" answer\"", StringComparison.Ordinal)), out var second));
        Assert.Same(firstModel, second!.Model);
        Assert.Same(firstRole, second.Message!.Role);
        Assert.Equal(" answer", second.Message.Content);
    }

    [Fact]
    public void TheReader_KnowsEveryPropertyOfTheWireTypes()
    {
        // A property added to a DTO must be taught to OllamaChatLineReader, or it would be skipped there but read by the serializer.
        var context = OllamaJsonContext.Default;
        Assert.Equal(
            ["model", "created_at", "message", "done", "done_reason", "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration", "logprobs", "error"],
            Names(context.OllamaChatResponse));
        Assert.Equal(["role", "content", "thinking", "tool_calls"], Names(context.OllamaMessage));
    }

    [Fact]
    public void Reset_ClearsEveryPropertyOfTheReusedWireTypes()
    {
        // The reader reuses these objects; a property that Reset forgot would leak from one line into the next.
        WireObjectAssert.ResetClearsEveryProperty(OllamaJsonContext.Default.OllamaChatResponse, """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{},"done":true,"done_reason":"stop","total_duration":1,"load_duration":1,"prompt_eval_count":1,"prompt_eval_duration":1,"eval_count":1,"eval_duration":1,"logprobs":[],"error":"x"}""");
        WireObjectAssert.ResetClearsEveryProperty(OllamaJsonContext.Default.OllamaMessage, """{"role":"r","content":"c","thinking":"t","tool_calls":[]}""");
    }

    private static string[] Names(System.Text.Json.Serialization.Metadata.JsonTypeInfo typeInfo) => [.. typeInfo.Properties.Select(p => p.Name)];

    private static string ViaSerializer(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OllamaJsonContext.Default.OllamaChatResponse) is { } line ? Serialize(line) : "null";
        }
        catch (JsonException)
        {
            return "JsonException";
        }
    }

    private static string Serialize(OllamaChatResponse line) => JsonSerializer.Serialize(line, OllamaJsonContext.Default.OllamaChatResponse);
}
