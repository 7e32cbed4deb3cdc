namespace OpenModelClient.Tests;

public class SmokeTests
{
    [Fact]
    public void ProviderNamesAreStable() => Assert.Equal("llama.cpp", ProviderNames.LlamaCpp);
}
