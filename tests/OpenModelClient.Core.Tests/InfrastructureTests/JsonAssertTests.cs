using System.Text.Json.Nodes;
using OpenModelClient.Tests.Infrastructure;
using Xunit.Sdk;

namespace OpenModelClient.Tests.InfrastructureTests;

public sealed class JsonAssertTests
{
    [Fact]
    public void Ignores_property_order() =>
        JsonAssert.Equal("""{"a":1,"b":[true,null]}""", JsonNode.Parse("""{"b":[true,null],"a":1}"""));

    [Fact]
    public void Failure_names_the_path_and_shows_both_documents()
    {
        var error = Assert.Throws<FailException>(() =>
            JsonAssert.Equal(JsonNode.Parse("""{"choices":[{"delta":{"content":"hi"}}]}"""), JsonNode.Parse("""{"choices":[{"delta":{"content":"ho"}}]}""")));

        Assert.Contains("$.choices[0].delta.content", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"hi\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"ho\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_actual_fails_against_a_document() =>
        Assert.Throws<FailException>(() => JsonAssert.Equal("{}", null));
}
