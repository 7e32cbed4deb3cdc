using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OpenModelClient.Tests.Shared;

/// <summary>Checks on the wire objects the one-pass readers reuse.</summary>
internal static class WireObjectAssert
{
    /// <summary>Fails unless <paramref name="json"/> sets every property of <typeparamref name="T"/> and <c>Reset</c> brings each back to a new instance's value.</summary>
    public static void ResetClearsEveryProperty<T>(JsonTypeInfo<T> typeInfo, string json)
        where T : class, IReusableWireObject, new()
    {
        var fresh = new T();
        var sample = JsonSerializer.Deserialize(json, typeInfo)!;
        foreach (var property in typeInfo.Properties)
        {
            Assert.False(Equals(property.Get!(fresh), property.Get!(sample)), $"the sample leaves {typeof(T).Name}.{property.Name} at its default");
        }

        sample.Reset();
        foreach (var property in typeInfo.Properties)
        {
            Assert.True(Equals(property.Get!(fresh), property.Get!(sample)), $"Reset leaves {typeof(T).Name}.{property.Name} set");
        }
    }
}
