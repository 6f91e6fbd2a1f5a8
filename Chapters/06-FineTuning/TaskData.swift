// Step 1 (seed 3.2, 任务数据准备 / task data preparation): the labelled sentences, tokenized.
//
//   text ──tokenizer──> [CLS] pieces [SEP]   + label (0 negative, 1 positive)
//
// The default data is NotebookSupport's SentimentDataset: short reviews with one polarity word
// each. The training and dev splits use the *seen* words only; half of the test split uses the
// *held-out* words (superb, dreadful, adored, ...), which chapter 05's corpus contains but the
// training split never shows. A user's own TSV, CSV or JSONL files work too.

import BERT
import Foundation
import NotebookSupport
import WordPiece

/// One labelled sentence of the task, and whether it uses a held-out word.
struct TaskExample: Sendable, Equatable {
  /// The text.
  let text: String
  /// The class index.
  let label: Int
  /// Whether its polarity word never occurs in the training split (generated data only).
  let usesHeldOutWord: Bool
}

/// The three splits of the task, with the names of its classes.
struct TaskData: Sendable {
  /// Where the data came from.
  let source: String
  /// The class names, index = label.
  let labelNames: [String]
  /// Examples fine-tuning learns from.
  let train: [TaskExample]
  /// Examples evaluated during training (the seed's `eval_dataset`).
  let dev: [TaskExample]
  /// Examples for the final scores.
  let test: [TaskExample]

  /// The generated sentiment data of `seed`.
  init(trainCount: Int, devCount: Int, testCount: Int, seed: UInt64) {
    let data = SentimentDataset(trainCount: trainCount, devCount: devCount, testCount: testCount, seed: seed)
    func convert(_ split: [LabeledSentence]) -> [TaskExample] {
      split.map { TaskExample(text: $0.text, label: $0.label, usesHeldOutWord: $0.usesHeldOutWord) }
    }
    source = "generated, seed \(seed)"
    labelNames = SentimentDataset.labelNames
    train = convert(data.train)
    dev = convert(data.dev)
    test = convert(data.test)
  }

  /// The user's files, read with the training stack's readers (TSV, CSV or JSONL by extension).
  /// Without a dev file, the last tenth of the training file is the dev split.
  ///
  /// - Throws: `DataFileError` naming the file and line of the first problem, or
  ///   `TaskDataError.tooFewExamples`.
  init(
    trainFile: String, devFile: String?, testFile: String, textColumn: String, labelColumn: String,
    labelNames: [String]?
  ) throws {
    func read(_ path: String) throws -> [TaskExample] {
      try TextClassificationFile.read(
        URL(fileURLWithPath: path), textColumn: textColumn, labelColumn: labelColumn, labelNames: labelNames
      ).map { TaskExample(text: $0.text, label: $0.label, usesHeldOutWord: false) }
    }
    var train = try read(trainFile)
    let dev: [TaskExample]
    if let devFile {
      dev = try read(devFile)
    } else {
      let count = train.count / 10
      dev = Array(train.suffix(count))
      train.removeLast(count)
    }
    let test = try read(testFile)
    guard !train.isEmpty, !dev.isEmpty, !test.isEmpty else {
      throw TaskDataError.tooFewExamples(
        "\(trainFile): \(train.count) training, \(dev.count) dev and \(test.count) test examples; each split needs one"
      )
    }
    let classCount = (train + dev + test).map(\.label).max().map { $0 + 1 } ?? 2
    self.labelNames = labelNames ?? (0..<max(2, classCount)).map { "LABEL_\($0)" }
    self.source =
      devFile.map { "\(trainFile), \($0), \(testFile)" } ?? "\(trainFile) (last tenth as dev), \(testFile)"
    self.train = train
    self.dev = dev
    self.test = test
  }

  /// Whether the test split marks held-out words (the generated data does).
  var hasHeldOutWords: Bool { test.contains(where: \.usesHeldOutWord) }
}

/// A task whose files cannot be used.
enum TaskDataError: Error, CustomStringConvertible {
  /// A split is empty.
  case tooFewExamples(String)
  /// The checkpoint folder is missing or incomplete.
  case noCheckpoint(String)

  var description: String {
    switch self {
    case .tooFewExamples(let message), .noCheckpoint(let message): return message
    }
  }
}

/// `[CLS] pieces [SEP]` with the label, for the Trainer; cut to `maxLength` tokens.
func trainingExamples(
  _ examples: [TaskExample], tokenizer: BertTokenizer, maxLength: Int
) -> [TrainingExample] {
  examples.map { example in
    TrainingExample(inputIDs: tokenizer.encode(example.text, maxLength: maxLength).ids, label: example.label)
  }
}
