namespace OpenModelClient;

/// <summary>A token id and its text piece, from <c>/tokenize</c> with <c>with_pieces</c>.</summary>
/// <param name="Id">The token id.</param>
/// <param name="Piece">The token's text (invalid UTF-8 pieces are decoded with replacement characters).</param>
public readonly record struct LlamaCppToken(int Id, string Piece);
