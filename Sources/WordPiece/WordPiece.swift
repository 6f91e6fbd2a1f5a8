/// The WordPiece tokenizer of BERT.
public enum WordPieceInfo {}
