/// <summary>
/// One row of the comparison: the model that answered, the measures of the streamed answer, a short outcome (markup) for the table,
/// the details printed under it, whether it answered, and whether a server was reached at all (it may have answered with an error).
/// </summary>
internal sealed record ComparisonRow(string Model, StreamMeter? Meter, string Outcome, string Details, bool Answered, bool Reached);
