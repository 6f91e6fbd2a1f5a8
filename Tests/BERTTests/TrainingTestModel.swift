import Foundation

@testable import BERT

// A model small enough to check by hand, for the training-stack tests.
//
// Legend: B batch, T tokens, V vocabulary, H features, C classes.
//
//   h      = E[ids]                            [B, T, H]   token embeddings
//   pooled = mean over real tokens of h        [B, H]      (classification)
//   x      = dropout(pooled or h)                          (p = dropoutProbability)
//   logits = x W^T + b                         [B, C] or [B * T, V]
//   loss   = mean cross-entropy over labelled rows
//
// With token labels in the batch it predicts a token at each labelled position (a masked
// LM with C = V); otherwise one class per sequence. Parameter names carry "bias" and
// "weight" so the weight-decay rule has something to sort.
final class TinyModel: TrainableModel {
  let vocabularySize: Int
  let classCount: Int
  let featureCount: Int
  let dropoutProbability: Float
  let embedding: Parameter  // [V, H]
  let weight: Parameter  // [C, H]
  let bias: Parameter  // [C]
  /// When set, `trainingStep` returns NaN at this call (1-based) to test the stop.
  var nanAtCall: Int?
  var calls = 0

  init(vocabularySize: Int, classCount: Int, featureCount: Int, dropoutProbability: Float = 0, seed: UInt64) {
    self.vocabularySize = vocabularySize
    self.classCount = classCount
    self.featureCount = featureCount
    self.dropoutProbability = dropoutProbability
    var rng = RandomGenerator(seed: seed)
    embedding = Parameter(rng.normalTensor(shape: [vocabularySize, featureCount], standardDeviation: 0.5))
    weight = Parameter(rng.normalTensor(shape: [classCount, featureCount], standardDeviation: 0.5))
    bias = Parameter(Tensor(zeros: [classCount]))
  }

  func namedParameters() -> [(name: String, parameter: Parameter)] {
    [("embeddings.weight", embedding), ("classifier.weight", weight), ("classifier.bias", bias)]
  }

  /// Rows of features and their labels: per sequence, or per labelled token.
  private func features(_ batch: Batch) -> (rows: [[Float]], labels: [Int], sources: [[Int]]) {
    let h = featureCount
    let table = embedding.value.scalars
    var rows: [[Float]] = []
    var labels: [Int] = []
    var sources: [[Int]] = []  // the token ids averaged into each row
    for b in 0..<batch.batchSize {
      let ids = Array(batch.row(b, of: batch.inputIDs))
      let mask = Array(batch.row(b, of: batch.attentionMask))
      if let tokenLabels = batch.tokenLabels {
        let rowLabels = Array(batch.row(b, of: tokenLabels))
        for t in 0..<ids.count where rowLabels[t] != ignoredLabel {
          rows.append(Array(table[(ids[t] * h)..<((ids[t] + 1) * h)]))
          labels.append(rowLabels[t])
          sources.append([ids[t]])
        }
      } else {
        let real = (0..<ids.count).filter { mask[$0] == 1 }.map { ids[$0] }
        var pooled = [Float](repeating: 0, count: h)
        for id in real {
          for j in 0..<h { pooled[j] += table[id * h + j] / Float(real.count) }
        }
        rows.append(pooled)
        labels.append(batch.labels?[b] ?? ignoredLabel)
        sources.append(real)
      }
    }
    return (rows, labels, sources)
  }

  /// Logits of each row.
  private func logits(_ x: [Float]) -> [Float] {
    (0..<classCount).map { c in
      var sum = bias.value.scalars[c]
      for j in 0..<featureCount { sum += weight.value.scalars[c * featureCount + j] * x[j] }
      return sum
    }
  }

  private static func softmax(_ z: [Float]) -> [Float] {
    let top = z.max() ?? 0
    let e = z.map { Foundation.exp($0 - top) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
  }

  func trainingStep(on batch: Batch, rng: inout RandomGenerator) -> Float {
    calls += 1
    let (rows, labels, sources) = features(batch)
    let n = Float(rows.count)
    var loss: Float = 0
    var gradWeight = [Float](repeating: 0, count: classCount * featureCount)
    var gradBias = [Float](repeating: 0, count: classCount)
    var gradEmbedding = [Float](repeating: 0, count: vocabularySize * featureCount)
    for (index, row) in rows.enumerated() {
      // Inverted dropout on the features, mask drawn from the trainer's generator.
      let keep = 1 - dropoutProbability
      let mask = row.map { _ in dropoutProbability > 0 ? (rng.uniform() < keep ? 1 / keep : 0) : Float(1) }
      let x = zip(row, mask).map { $0 * $1 }
      let p = Self.softmax(logits(x))
      loss -= Foundation.log(p[labels[index]]) / n
      var gradX = [Float](repeating: 0, count: featureCount)
      for c in 0..<classCount {
        let gz = (p[c] - (c == labels[index] ? 1 : 0)) / n  // d loss / d logit
        gradBias[c] += gz
        for j in 0..<featureCount {
          gradWeight[c * featureCount + j] += gz * x[j]
          gradX[j] += gz * weight.value.scalars[c * featureCount + j]
        }
      }
      let sourceIDs = sources[index]
      for id in sourceIDs {
        for j in 0..<featureCount {
          gradEmbedding[id * featureCount + j] += gradX[j] * mask[j] / Float(sourceIDs.count)
        }
      }
    }
    embedding.accumulate(Tensor(shape: embedding.shape, scalars: gradEmbedding))
    weight.accumulate(Tensor(shape: weight.shape, scalars: gradWeight))
    bias.accumulate(Tensor(shape: bias.shape, scalars: gradBias))
    if calls == nanAtCall { return .nan }
    return loss
  }

  func evaluationStep(on batch: Batch) -> EvaluationStep {
    let (rows, labels, _) = features(batch)
    var loss: Float = 0
    var scores: [Float] = []
    for (index, row) in rows.enumerated() {
      let z = logits(row)
      scores += z
      loss -= Foundation.log(Self.softmax(z)[labels[index]]) / Float(rows.count)
    }
    return EvaluationStep(
      loss: loss, predictions: Tensor(shape: [rows.count, classCount], scalars: scores), labels: labels)
  }

  func checkpointConfiguration() throws -> Data? {
    Data("{\"model_type\": \"tiny\", \"vocab_size\": \(vocabularySize)}\n".utf8)
  }

  /// Every weight, for bitwise comparisons.
  var allScalars: [Float] { namedParameters().flatMap { $0.parameter.value.scalars } }
}

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String) -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("bertnotebook-\(name)-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// How many entries differ bit for bit (a length difference counts too).
func bitwiseDifferences(_ a: [Float], _ b: [Float]) -> Int {
  zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count + abs(a.count - b.count)
}
