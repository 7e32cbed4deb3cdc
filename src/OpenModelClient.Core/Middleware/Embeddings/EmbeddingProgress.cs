namespace OpenModelClient;

/// <summary>How far a batched embedding call has come, reported after each batch completes.</summary>
/// <param name="CompletedInputs">The inputs embedded so far.</param>
/// <param name="TotalInputs">All inputs of the call.</param>
/// <param name="CompletedBatches">The batches completed so far (they may complete out of order).</param>
/// <param name="TotalBatches">All batches of the call.</param>
public sealed record EmbeddingProgress(int CompletedInputs, int TotalInputs, int CompletedBatches, int TotalBatches);
