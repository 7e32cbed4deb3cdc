/// <summary>The sample's own configuration is wrong (an unknown profile); reported like an invalid OpenModel section.</summary>
internal sealed class SampleConfigurationException(string message) : Exception(message);
