import Testing

@testable import WordPiece
