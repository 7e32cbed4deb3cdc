/// <summary>One row of the comparison: the model that answered, the measures of the streamed answer, a short outcome (markup) for the table, and the details printed under it.</summary>
internal sealed record ComparisonRow(string Model, StreamMeter? Meter, string Outcome, string Details, bool Answered);
