/// <summary>The structured answer asked for: GetResponseAsync&lt;Capital&gt; sends its JSON schema and parses the reply into it.</summary>
internal sealed record Capital(string Country, string City);
