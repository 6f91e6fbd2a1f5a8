import Foundation

@testable import WordPiece

/// The reference fixtures of `scripts/make_tokenizer_fixtures.py`.
enum Fixtures {
  static func url(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
      throw WordPieceError.cannotRead(
        file: name, reason: "missing fixture; run scripts/make_tokenizer_fixtures.py")
    }
    return url
  }

  static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
    try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
  }

  static var vocabularyPath: String {
    get throws { try url("vocab.txt").path }
  }

  static func tokenizer(lowercase: Bool = true) throws -> BertTokenizer {
    try BertTokenizer(vocabulary: Vocabulary.load(contentsOf: vocabularyPath), lowercase: lowercase)
  }

  /// One text's reference results.
  struct LineRecord: Decodable {
    var ids: [Int]
    var rustIds: [Int]?
    var rustOffsets: [[Int]]
    var rustWordIds: [Int?]
    var rustWordsDiffer: Bool?

    enum CodingKeys: String, CodingKey {
      case ids
      case rustIds = "rust_ids"
      case rustWordsDiffer = "rust_words_differ"
      case rustOffsets = "rust_offsets"
      case rustWordIds = "rust_word_ids"
    }
  }

  struct Lines: Decodable {
    var lines: [String]
    var uncased: [LineRecord]
    var cased: [LineRecord]
  }

  struct EncodingCase: Decodable {
    var text: String
    var pair: String?
    var maxLength: Int
    var truncation: String
    var padding: String
    var inputIds: [Int]
    var tokenTypeIds: [Int]
    var attentionMask: [Int]
    var specialTokensMask: [Int]

    enum CodingKeys: String, CodingKey {
      case text, pair, truncation, padding
      case maxLength = "max_length"
      case inputIds = "input_ids"
      case tokenTypeIds = "token_type_ids"
      case attentionMask = "attention_mask"
      case specialTokensMask = "special_tokens_mask"
    }
  }

  struct BatchCase: Decodable {
    var texts: [String]
    var pairs: [String]?
    var maxLength: Int
    var padding: String
    var inputIds: [[Int]]
    var tokenTypeIds: [[Int]]
    var attentionMask: [[Int]]

    enum CodingKeys: String, CodingKey {
      case texts, pairs, padding
      case maxLength = "max_length"
      case inputIds = "input_ids"
      case tokenTypeIds = "token_type_ids"
      case attentionMask = "attention_mask"
    }
  }

  struct DecodingCase: Decodable {
    var ids: [Int]
    var text: String
    var skippingSpecial: String

    enum CodingKeys: String, CodingKey {
      case ids, text
      case skippingSpecial = "skipping_special"
    }
  }

  struct Encodings: Decodable {
    var encodings: [EncodingCase]
    var batches: [BatchCase]
    var decodings: [DecodingCase]
  }
}

extension String {
  /// The text with every scalar outside printable ASCII escaped, for failure messages.
  var escaped: String {
    unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
      .joined()
  }
}
