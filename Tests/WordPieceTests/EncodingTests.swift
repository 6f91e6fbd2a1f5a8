import Testing

@testable import WordPiece

@Suite("WordPiece: pairs, truncation, padding, batches and decoding against the Python tokenizer")
struct EncodingTests {
  static func truncation(_ name: String) -> TruncationStrategy {
    switch name {
    case "only_first": return .onlyFirst
    case "only_second": return .onlySecond
    default: return .longestFirst
    }
  }

  @Test("Pairs and single texts with truncation and padding match input_ids, token_type_ids, masks")
  func pairsMatchPython() throws {
    let fixture = try Fixtures.decode(Fixtures.Encodings.self, from: "tokenizer_encodings.json")
    let tokenizer = try Fixtures.tokenizer()
    #expect(fixture.encodings.count >= 100)
    for test in fixture.encodings {
      let encoding = tokenizer.encode(
        test.text, pair: test.pair, maxLength: test.maxLength, truncation: Self.truncation(test.truncation),
        padding: test.padding == "max_length" ? .maxLength : .doNotPad)
      let context =
        "\"\(test.text.escaped)\" + \(test.pair.map { "\"\($0.escaped)\"" } ?? "nil"), "
        + "max \(test.maxLength), \(test.truncation), \(test.padding)"
      #expect(encoding.ids == test.inputIds, "\(context)")
      #expect(encoding.tokenTypeIds == test.tokenTypeIds, "\(context)")
      #expect(encoding.attentionMask == test.attentionMask, "\(context)")
      #expect(encoding.specialTokensMask == test.specialTokensMask, "\(context)")
      #expect(encoding.tokens.count == encoding.ids.count && encoding.offsets.count == encoding.ids.count)
    }
  }

  @Test("Batches padded to the longest or to max_length match the Python tokenizer")
  func batchesMatchPython() throws {
    let fixture = try Fixtures.decode(Fixtures.Encodings.self, from: "tokenizer_encodings.json")
    let tokenizer = try Fixtures.tokenizer()
    #expect(fixture.batches.count >= 10)
    for batch in fixture.batches {
      let encodings = tokenizer.encodeBatch(
        batch.texts, pairs: batch.pairs, maxLength: batch.maxLength, truncation: .longestFirst,
        padding: batch.padding == "longest" ? .longest : .maxLength)
      #expect(encodings.map(\.ids) == batch.inputIds, "batch of \(batch.texts.count), \(batch.padding)")
      #expect(encodings.map(\.tokenTypeIds) == batch.tokenTypeIds)
      #expect(encodings.map(\.attentionMask) == batch.attentionMask)
    }
  }

  @Test("Decoding joins ## pieces and cleans the spaces before punctuation as the reference")
  func decodingMatchesPython() throws {
    let fixture = try Fixtures.decode(Fixtures.Encodings.self, from: "tokenizer_encodings.json")
    let tokenizer = try Fixtures.tokenizer()
    #expect(fixture.decodings.count >= 300)
    for test in fixture.decodings {
      let text = tokenizer.decode(test.ids)
      let skipping = tokenizer.decode(test.ids, skipSpecialTokens: true)
      #expect(Array(text.unicodeScalars) == Array(test.text.unicodeScalars), "\(test.ids)")
      #expect(Array(skipping.unicodeScalars) == Array(test.skippingSpecial.unicodeScalars), "\(test.ids)")
    }
  }

  @Test("Empty and whitespace-only texts encode as [CLS] [SEP]")
  func emptyText() throws {
    let tokenizer = try Fixtures.tokenizer()
    for text in ["", " ", "\t\n\r ", "\u{200B}\u{0}", "\u{3000}\u{A0}"] {
      let encoding = tokenizer.encode(text)
      #expect(encoding.tokens == ["[CLS]", "[SEP]"], "\"\(text.escaped)\"")
      #expect(encoding.ids == [tokenizer.classifierID, tokenizer.separatorID])
    }
  }

  @Test("Offsets, word ids and word starts of a worked example")
  func workedExample() throws {
    let tokenizer = try Fixtures.tokenizer()
    let encoding = tokenizer.encode("Unaffable café!", pair: "ok")
    // Ids from the Python reference tokenizer: una=14477, ##ffa=20961, ##ble=3468.
    #expect(encoding.tokens == ["[CLS]", "una", "##ffa", "##ble", "cafe", "!", "[SEP]", "ok", "[SEP]"])
    #expect(Array(encoding.ids[1...3]) == [14477, 20961, 3468])
    #expect(encoding.offsets == [0..<0, 0..<3, 3..<6, 6..<9, 10..<14, 14..<15, 0..<0, 0..<2, 0..<0])
    #expect(encoding.wordIds == [nil, 0, 0, 0, 1, 2, nil, 0, nil])
    #expect(encoding.sequenceIds == [nil, 0, 0, 0, 0, 0, nil, 1, nil])
    #expect(encoding.wordStarts == [false, true, false, false, true, true, false, true, false])
    #expect(tokenizer.vocabulary.isContinuation(20961) && !tokenizer.vocabulary.isContinuation(14477))
  }
}
