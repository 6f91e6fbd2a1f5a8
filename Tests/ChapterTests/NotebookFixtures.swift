import NotebookSupport
import WordPiece

/// What several chapters' tests share: the generated corpus of seed 42 and the 400-piece
/// vocabulary learned from it (chapters 01, 02 and 04 all start from them), made once.
enum NotebookFixtures {
  static let corpus = notebookCorpus(seed: 42)
  static let tokenizer: BertTokenizer = {
    do {
      return try notebookTokenizer(learnedFrom: corpus)
    } catch {
      preconditionFailure("the learned vocabulary has no special tokens: \(error)")
    }
  }()
}
