import Foundation
import Testing

@testable import BERT

// The other direction: checkpoints this package saves, for transformers to load.
//
// With BERT_EXPORT_DIR set, this writes one folder per architecture into it: a tiny model with
// seeded random weights saved by `savePretrained` (config.json, model.safetensors, vocab.txt,
// tokenizer_config.json) and swift_outputs.json, the inputs of a padded batch with the outputs
// this package computes for them. scripts/check_roundtrip_transformers.py runs this test, loads
// each folder with transformers' `from_pretrained` and compares the outputs. Without the
// variable the test is skipped: it only makes files for that script.

@Suite(
  "Checkpoints for transformers",
  // Only scripts/check_roundtrip_transformers.py sets the variable.
  .enabled(if: ProcessInfo.processInfo.environment["BERT_EXPORT_DIR"] != nil, "BERT_EXPORT_DIR is not set"))
struct TransformersExportTests {
  @Test("write a checkpoint and its outputs per architecture into BERT_EXPORT_DIR")
  func export() throws {
    let root = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["BERT_EXPORT_DIR"]))
    let tokenizer = try #require(
      try PretrainedCheckpoint(directory: try CheckpointFiles.fixture("tiny-masked-lm")).tokenizer)
    let batch = CheckpointSavingTests.batch
    let sentence = "The cat sat on the mat, and the dog ran!"
    for (index, architecture) in BertArchitecture.allCases.enumerated() {
      var config = tinyConfig(numLabels: architecture == .tokenClassification ? 3 : 2, padTokenId: 0)
      config.vocabSize = tokenizer.vocabulary.count
      config.maxPositionEmbeddings = 32
      let model = architecture.modelType.untrained(config: config)
      randomizeForGradientCheck(model, seed: UInt64(100 + index))
      let folder = root.appendingPathComponent(architecture.rawValue)
      try model.savePretrained(to: folder, tokenizer: tokenizer)
      let outputs = model.namedOutputs(batch).map { output in
        (output.name, output.tensor.shape, output.tensor.scalars.map(Double.init))
      }
      let document: [String: Any] = [
        "architecture": architecture.rawValue,
        "inputs": [
          "input_ids": rows(batch.inputIds, batch), "token_type_ids": rows(batch.tokenTypeIds, batch),
          "attention_mask": rows(batch.attentionMask, batch),
        ],
        "outputs": Dictionary(uniqueKeysWithValues: outputs.map { ($0.0, ["shape": $0.1, "values": $0.2]) }),
        "sentence": sentence,
        "sentence_ids": tokenizer.encode(sentence).ids,
      ]
      let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
      try data.write(to: folder.appendingPathComponent("swift_outputs.json"))
      print("exported \(folder.path)")
    }
  }

  /// A flat [B * T] array as B rows.
  func rows(_ flat: [Int], _ batch: BertInput) -> [[Int]] {
    (0..<batch.batchSize).map { Array(flat[($0 * batch.sequenceLength)..<(($0 + 1) * batch.sequenceLength)]) }
  }
}
