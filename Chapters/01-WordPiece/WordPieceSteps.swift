// WordPiece: learning a vocabulary of word pieces from the generated corpus, and cutting text
// into them.
//
//   corpus sentences ──BasicTokenizer──> words with counts
//   words ──WordPieceTrainer──> vocab.txt: 5 special tokens, the alphabet (x and ##x), merges
//   text ──BertTokenizer──> [CLS] pieces [SEP] ──vocab──> ids
//
// A word the vocabulary has is one token; a word it lacks is cut, greedily from the left, into
// the longest pieces it has (`fox` `##hound` `##s`); a word with a character it has never seen
// cannot be cut at all and becomes [UNK].

import WordPiece

// MARK: - The corpus and the vocabulary

/// The words of `sentences` as BERT's basic tokenizer splits them (a punctuation mark is a word).
func countWords(in sentences: [String]) -> Int {
  let basic = BasicTokenizer()
  return sentences.reduce(0) { $0 + basic.tokenize($1).count }
}

/// What the vocabulary is made of, by kind of token.
struct VocabularyAnatomy: Equatable {
  /// [PAD], [UNK], [CLS], [SEP], [MASK] and any other bracketed token.
  var special: [String] = []
  /// Single characters that start a word ("a").
  var initialCharacters: [String] = []
  /// Single characters that continue a word ("##a").
  var continuationCharacters: [String] = []
  /// Longer pieces that start a word ("the", "fox").
  var wordStarts: [String] = []
  /// Longer pieces that continue a word ("##s", "##ing").
  var continuations: [String] = []
}

/// Sorts the tokens of `vocabulary`, in id order, by kind.
func anatomy(of vocabulary: Vocabulary) -> VocabularyAnatomy {
  var parts = VocabularyAnatomy()
  let prefix = Vocabulary.continuationPrefix
  for token in vocabulary.tokens {
    if token.count > 2 && token.hasPrefix("[") && token.hasSuffix("]") {
      parts.special.append(token)
    } else if token.hasPrefix(prefix) && token.count > prefix.count {
      if token.count == prefix.count + 1 {
        parts.continuationCharacters.append(token)
      } else {
        parts.continuations.append(token)
      }
    } else if token.count == 1 {
      parts.initialCharacters.append(token)
    } else {
      parts.wordStarts.append(token)
    }
  }
  return parts
}

/// How well a vocabulary covers the words of some text.
struct Coverage: Equatable {
  /// Distinct words (after BERT's lower-casing and punctuation splitting).
  var words: Int
  /// Of them, words the vocabulary holds as one token.
  var wholeWords: Int
  /// Of them, words that come out as [UNK].
  var unknownWords: Int
  /// The mean number of pieces per word occurrence.
  var piecesPerWord: Double
}

/// The coverage of `sentences` by `tokenizer`'s vocabulary.
func coverage(of sentences: [String], by tokenizer: BertTokenizer) -> Coverage {
  var pieceCounts: [String: Int] = [:]
  var occurrences = 0
  var pieces = 0
  for sentence in sentences {
    for word in tokenizer.basicTokenizer.tokenize(sentence) {
      let count = pieceCounts[word] ?? tokenizer.tokenize(word).count
      pieceCounts[word] = count
      occurrences += 1
      pieces += count
    }
  }
  let whole = pieceCounts.filter { $0.value == 1 && tokenizer.vocabulary.id(of: $0.key) != nil }.count
  let unknown = pieceCounts.keys.filter { tokenizer.tokenIDs($0).contains(tokenizer.unknownID) }.count
  return Coverage(
    words: pieceCounts.count, wholeWords: whole, unknownWords: unknown,
    piecesPerWord: Double(pieces) / Double(max(occurrences, 1)))
}

// MARK: - Example sentences

/// The sentences the chapter tokenizes, with what each one shows.
let exampleSentences: [(text: String, shows: String)] = [
  ("The quick brown fox jumps over the lazy dog", "the seed's sentence"),
  ("The foxes that the dog chased are tired.", "a sentence like the corpus's, with punctuation"),
  ("The foxhounds were unlovely.", "words the vocabulary lacks, cut into pieces it has"),
  ("The fox saw 日本 and a 🦊", "characters the corpus never had: [UNK]"),
]

/// One tokenized sentence.
struct TokenizedSentence: Equatable {
  /// The text.
  var text: String
  /// The words after basic tokenization (lower-cased, punctuation split off).
  var words: [String]
  /// The encoding's tokens, `[CLS] ... [SEP]`.
  var tokens: [String]
  /// Their ids.
  var ids: [Int]
  /// The word each token comes from (nil for [CLS] and [SEP]).
  var wordIDs: [Int?]
  /// The ids between [CLS] and [SEP] decoded back to text ([UNK] stays [UNK]).
  var decoded: String
}

/// `text` through `tokenizer`: words, pieces, ids and the round trip.
func tokenizeSentence(_ text: String, with tokenizer: BertTokenizer) -> TokenizedSentence {
  let encoding = tokenizer.encode(text)
  return TokenizedSentence(
    text: text, words: tokenizer.basicTokenizer.tokenize(text), tokens: encoding.tokens, ids: encoding.ids,
    wordIDs: encoding.wordIds, decoded: tokenizer.decode(Array(encoding.ids.dropFirst().dropLast())))
}

/// The pieces of each word of a tokenized sentence, for words cut into more than one piece or
/// lost to [UNK]: (word, its pieces).
func splitWords(_ sentence: TokenizedSentence) -> [(word: String, pieces: [String])] {
  sentence.words.enumerated().compactMap { index, word in
    let pieces = sentence.tokens.indices.filter { sentence.wordIDs[$0] == index }.map { sentence.tokens[$0] }
    return pieces.count > 1 || pieces == ["[UNK]"] ? (word, pieces) : nil
  }
}
