import ArgumentParser
import BERT
import WordPiece

// The notebook's generated corpus, the WordPiece vocabulary learned from it, and the stand-in
// model. Chapter 01 learns the vocabulary (it is the chapter's subject); chapters 02 and 04
// learn the same one, with a random model of the shape chapter 05 pretrains, only when chapter
// 05 has not written its checkpoint yet; chapter 05 learns its own vocabulary from its training
// sentences with the same trainer. One definition here, so the chapters cannot drift apart.

/// How many documents of the generated corpus the vocabulary is learned from.
public let notebookCorpusDocumentCount = 2000

/// The size of the vocabulary learned from it (chapter 05 pretrains on the same size).
public let notebookVocabularySize = 400

/// The generated corpus of the notebook, from `seed`.
public func notebookCorpus(seed: UInt64) -> PretrainingCorpus {
  PretrainingCorpus(documentCount: notebookCorpusDocumentCount, seed: seed)
}

/// Learns a WordPiece vocabulary of at most `size` tokens from `sentences` (BERT's five special
/// tokens first), and the uncased tokenizer over it.
public func trainTokenizer(_ sentences: [String], size: Int) throws -> BertTokenizer {
  try BertTokenizer(vocabulary: WordPieceTrainer(vocabularySize: size).train(sentences))
}

/// The tokenizer of a checkpoint folder, or an error naming the folder when it has no vocab.txt.
public func requireTokenizer(_ checkpoint: PretrainedCheckpoint) throws -> BertTokenizer {
  guard let tokenizer = checkpoint.tokenizer else {
    throw ValidationError("\(checkpoint.directory.path) has no vocab.txt; the chapter needs one to tokenize")
  }
  return tokenizer
}

/// BERT's masker over `tokenizer`'s vocabulary: 15% of the non-special tokens, 80% [MASK], 10%
/// a random token, 10% unchanged.
public func paperMasker(_ tokenizer: BertTokenizer) throws -> MaskedLanguageModelMasker {
  guard let maskID = tokenizer.maskID else {
    throw ValidationError("the vocabulary has no [MASK] token; masked-LM needs one")
  }
  return MaskedLanguageModelMasker(
    maskTokenID: maskID, vocabularySize: tokenizer.vocabulary.count,
    specialTokenIDs: tokenizer.specialTokenIDs)
}

/// A tokenizer over the WordPiece vocabulary learned from `corpus`, as chapter 01 learns it.
public func notebookTokenizer(learnedFrom corpus: PretrainingCorpus) throws -> BertTokenizer {
  try trainTokenizer(corpus.sentences, size: notebookVocabularySize)
}

/// The stand-in model's configuration: chapter 05's shape (2 layers, H 128, 2 heads, BERT-Tiny's)
/// over `vocabularySize` tokens.
public func standInConfig(vocabularySize: Int) -> BERTConfig {
  var config = BERTConfig.tiny
  config.vocabSize = vocabularySize
  config.maxPositionEmbeddings = 64
  return config
}
