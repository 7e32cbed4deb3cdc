using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient.Tests.Middleware.Guards;

public class ToolCallArgumentRepairTests
{
    private static readonly JsonElement Schema = JsonElement.Parse(
        """{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo"]},"unit":{"type":"string"},"options":{"type":"object"}},"required":["city","unit"],"additionalProperties":false}""");

    /// <summary>Malformed argument text → the repaired arguments (JSON) and what was repaired, or the problem sent back to the model.</summary>
    public static TheoryData<string, string?, string> Cases() => new()
    {
        { """{"city":"Paris","unit":"celsius"}""", """{"city":"Paris","unit":"celsius"}""", "" },
        { "```json\n{\"city\":\"Paris\",\"unit\":\"celsius\"}\n```", """{"city":"Paris","unit":"celsius"}""", "code fence removed" },
        { """{"city":"Paris","unit":"celsius",}""", """{"city":"Paris","unit":"celsius"}""", "trailing comma removed" },
        { """{'city': 'Paris', 'unit': 'celsius'}""", """{"city":"Paris","unit":"celsius"}""", "single quotes replaced" },
        { """{'city': 'Tokyo', 'unit': 'it\'s "hot"'}""", """{"city":"Tokyo","unit":"it's \"hot\""}""", "single quotes replaced" },
        { """ "{\"city\":\"Paris\",\"unit\":\"celsius\"}" """, """{"city":"Paris","unit":"celsius"}""", "object sent as a JSON string" },
        { """{"city":"Paris","unit":"celsius" """, """{"city":"Paris","unit":"celsius"}""", "1 missing closing bracket(s) added" },
        { """{"city":"Paris","unit":"celsius","options":{"days":[1,2""", """{"city":"Paris","unit":"celsius","options":{"days":[1,2]}}""", "3 missing closing bracket(s) added" },
        { """{"City":"Paris","UNIT":"celsius"}""", """{"city":"Paris","unit":"celsius"}""", "argument 'City' renamed to 'city'; argument 'UNIT' renamed to 'unit'" },
        { """{"city":"Paris","unit":"celsius","options":"{\"days\":3}"}""", """{"city":"Paris","unit":"celsius","options":{"days":3}}""", "argument 'options' sent as a JSON string" },
        { "```\n{'city': 'Paris', 'Unit': 'celsius',}\n```", """{"city":"Paris","unit":"celsius"}""", "code fence removed; single quotes replaced; trailing comma removed; argument 'Unit' renamed to 'unit'" },
        { """{"city":"Paris"}""", null, "missing required argument(s) 'unit'" },
        { """{"city":"Paris","unit":"celsius","country":"FR"}""", null, "unknown argument(s) 'country'; the tool takes 'city', 'unit', 'options'" },
        { """{"city":"Par""", null, "the arguments end inside a string (cut off?)" },
        { """{"city":"Paris","unit":"celsius"}}""", null, "unbalanced '}' at position 33" },
        { "[1, 2]", null, "the arguments are a JSON array, not an object" },
        { "the weather in Paris please", null, "the arguments are not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Repair_MalformedArguments_RepairsOrNamesTheProblem(string text, string? expected, string repairsOrProblem)
    {
        var result = ToolCallArgumentRepair.Repair(text, Schema);

        if (expected is null)
        {
            Assert.Null(result.Arguments);
            Assert.Equal(repairsOrProblem, result.Problem);
        }
        else
        {
            Assert.Null(result.Problem);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result.Arguments), result.Arguments?.ToJsonString());
            Assert.Equal(repairsOrProblem, string.Join("; ", result.Repairs));
        }
    }

    [Theory]
    [InlineData("get_weather", "get_weather")]
    [InlineData("Get-Weather", "get_weather")]
    [InlineData("getWeather", "get_weather")]
    [InlineData("GET.WEATHER", "get_weather")]
    [InlineData("get_wether", null)] // a typo is not a separator: never guessed
    [InlineData("weather", null)]
    public void MatchName_DiffersOnlyInCaseOrSeparators_FindsTheOneTool(string written, string? expected) =>
        Assert.Equal(expected, ToolCallArgumentRepair.MatchName(written, ["get_weather", "get_time"]));

    [Fact]
    public void MatchName_Ambiguous_FindsNone() =>
        Assert.Null(ToolCallArgumentRepair.MatchName("getweather", ["get_weather", "GetWeather"]));
}
