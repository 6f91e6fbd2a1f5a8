import BERT
import WordPiece

// What chapters 01, 02 and 04 build when chapter 05 has not written its checkpoint yet: the
// generated corpus, a WordPiece vocabulary learned from it, and a model of the shape chapter
// 05 pretrains. One definition here, so the three chapters cannot drift apart.

/// How many documents of the generated corpus the vocabulary is learned from.
public let notebookCorpusDocumentCount = 2000

/// The size of the vocabulary learned from it (chapter 05 pretrains on the same size).
public let notebookVocabularySize = 400

/// The generated corpus of the notebook, from `seed`.
public func notebookCorpus(seed: UInt64) -> PretrainingCorpus {
  PretrainingCorpus(documentCount: notebookCorpusDocumentCount, seed: seed)
}

/// A tokenizer over the WordPiece vocabulary learned from `corpus`, as chapter 01 learns it.
public func notebookTokenizer(learnedFrom corpus: PretrainingCorpus) throws -> BertTokenizer {
  try BertTokenizer(
    vocabulary: WordPieceTrainer(vocabularySize: notebookVocabularySize).train(corpus.sentences))
}

/// The stand-in model's configuration: chapter 05's shape (2 layers, H 128, 2 heads, BERT-Tiny's)
/// over `vocabularySize` tokens.
public func standInConfig(vocabularySize: Int) -> BERTConfig {
  var config = BERTConfig.tiny
  config.vocabSize = vocabularySize
  config.maxPositionEmbeddings = 64
  return config
}
