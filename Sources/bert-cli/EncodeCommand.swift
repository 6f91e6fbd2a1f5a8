import ArgumentParser
import BERT
import Foundation
import WordPiece

/// `bert encode`: token vectors and a sentence embedding for each line of standard input.
///
/// ```sh
/// echo "A man is playing a guitar." | bert encode --model all-MiniLM-L6-v2
/// {"ids":[101,1037,2158,...],"last_hidden_state":[[...],...],"sentence_embedding":[...]}
/// ```
struct EncodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "encode",
    abstract: "Encode standard input, one sentence per line, into JSON lines of vectors.",
    discussion: """
      Each line becomes {"ids": [...], "last_hidden_state": [[...], ...], "sentence_embedding": [...]}: \
      the ids with [CLS] and [SEP], the encoder's last layer for each of them, and their mean (padding \
      excluded) scaled to length 1, as sentence-transformers computes it. Sentences are run in batches, \
      padded to the longest of the batch; the padding changes nothing in the output.
      """)

  @OptionGroup var options: ModelOptions

  @Option(
    help:
      "Truncate each sentence to this many ids, [CLS] and [SEP] included (default: the model's positions).")
  var maxLength: Int?

  @Option(help: "Sentences per forward pass.")
  var batchSize = 32

  func validate() throws {
    if let maxLength, maxLength < 2 {
      throw ValidationError("--max-length must be at least 2, got \(maxLength)")
    }
    if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
  }

  func run() throws {
    let checkpoint = try options.checkpoint()
    let tokenizer = try checkpoint.requireTokenizer()
    let model = try checkpoint.loadWarning(BertModel.self)
    let lines = try TextFile.lines(
      of: [UInt8](FileHandle.standardInput.readDataToEndOfFile()), name: "<stdin>")
    var output = OutputBuffer()
    try Self.encode(lines, model: model, tokenizer: tokenizer, maxLength: maxLength, batchSize: batchSize) {
      output.append($0)
    }
    output.flush()
  }

  /// Encodes `sentences` in batches and hands `output` one JSON line per sentence, in order.
  ///
  /// - Throws: `BertInputError` when an id does not fit the model (a vocabulary larger than the config's).
  static func encode(
    _ sentences: [String], model: BertModel, tokenizer: BertTokenizer, maxLength: Int?, batchSize: Int,
    output: (String) -> Void
  ) throws {
    let limit = min(maxLength ?? model.config.maxPositionEmbeddings, model.config.maxPositionEmbeddings)
    var start = 0
    while start < sentences.count {
      let chunk = Array(sentences[start..<min(start + batchSize, sentences.count)])
      start += chunk.count
      let encodings = tokenizer.encodeBatch(
        chunk, maxLength: limit, truncation: .longestFirst, padding: .longest)
      let input = BertInput(
        inputIds: encodings.map(\.ids), tokenTypeIds: encodings.map(\.tokenTypeIds),
        attentionMask: encodings.map(\.attentionMask))
      try input.validate(against: model.config)
      let hidden = model.predict(input).lastHiddenState  // [B, T, H]
      let embeddings = sentenceEmbeddings(lastHiddenState: hidden, attentionMask: input.attentionMask)
      let (tokens, width) = (input.sequenceLength, hidden.shape[2])
      for (b, encoding) in encodings.enumerated() {
        let count = encoding.attentionMask.reduce(0, +)
        let rows = hidden.scalars[(b * tokens * width)..<((b * tokens + count) * width)]
        output(
          "{\"ids\":" + JSONText.array(Array(encoding.ids.prefix(count)))
            + ",\"last_hidden_state\":" + JSONText.array(rows, shape: [count, width])
            + ",\"sentence_embedding\":"
            + JSONText.array(embeddings.scalars[(b * width)..<((b + 1) * width)], shape: [width]) + "}")
      }
    }
  }
}
