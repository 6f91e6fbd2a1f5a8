// swift-tools-version: 6.1
//
// BertNotebook: a complete BERT in Swift, taught chapter by chapter.
//
// The layout shows the architecture:
//   Sources/     the shared core, as library modules (numeric core, safetensors, WordPiece,
//                the BERT model and training stack, gnuplot output)
//   Chapters/    one executable target per chapter of the teaching document, read top to bottom
//   Benchmarks/  release-build executables that print speed and memory figures
//   Tests/       unit tests of the core and one test file per chapter

import PackageDescription

// MARK: - Chapters

/// The chapters, in reading order: (folder under Chapters/, executable name).
/// The `notebook` executable runs them in this order.
let chapters: [(folder: String, target: String)] = [
  ("01-WordPiece", "Chapter01"),
  ("02-SelfAttention", "Chapter02"),
  ("03-MultiHeadAttention", "Chapter03"),
  ("04-MaskedLM", "Chapter04"),
  ("05-Pretraining", "Chapter05"),
  ("06-FineTuning", "Chapter06"),
]

// MARK: - Benchmarks

/// Release-build executables under Benchmarks/ that print figures (never timed tests).
let benchmarks: [(folder: String, target: String, dependencies: [Target.Dependency])] = [
  ("MatmulBenchmark", "matmul-benchmark", ["TensorCore"]),
  ("TokenizerBenchmark", "tokenizer-benchmark", ["WordPiece"]),
  ("ModelBenchmark", "model-benchmark", ["BERT"]),
  ("TrainingBenchmark", "training-benchmark", ["BERT"]),
]

// MARK: - Core modules

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

var targets: [Target] = [
  .target(
    name: "CKernels",
    path: "Sources/CKernels",
    cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]
  ),
  .target(
    name: "TensorCore",
    dependencies: ["CKernels"],
    path: "Sources/TensorCore",
    swiftSettings: swiftSettings
  ),
  .target(
    name: "SafeTensors",
    dependencies: ["TensorCore"],
    path: "Sources/SafeTensors",
    swiftSettings: swiftSettings
  ),
  .target(
    name: "WordPiece",
    path: "Sources/WordPiece",
    swiftSettings: swiftSettings
  ),
  .target(
    name: "Plotting",
    path: "Sources/Plotting",
    swiftSettings: swiftSettings
  ),
  .target(
    name: "NotebookSupport",
    dependencies: [
      "TensorCore", "WordPiece", "BERT", .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "Sources/NotebookSupport",
    swiftSettings: swiftSettings
  ),
  .target(
    name: "BERT",
    dependencies: ["TensorCore", "SafeTensors", "WordPiece"],
    path: "Sources/BERT",
    swiftSettings: swiftSettings
  ),

  // MARK: - Command-line tools

  .executableTarget(
    name: "bert",
    dependencies: [
      "BERT", "WordPiece",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "Sources/bert-cli",
    swiftSettings: swiftSettings
  ),
  .executableTarget(
    name: "notebook",
    dependencies: chapters.map { .target(name: $0.target) } + [
      "NotebookSupport", "Plotting",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "Sources/notebook",
    swiftSettings: swiftSettings
  ),

  // MARK: - Tests of the core

  .testTarget(
    name: "TensorCoreTests",
    dependencies: ["TensorCore"],
    path: "Tests/TensorCoreTests",
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "NotebookSupportTests",
    dependencies: ["NotebookSupport"],
    path: "Tests/NotebookSupportTests",
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "SafeTensorsTests",
    dependencies: ["SafeTensors"],
    path: "Tests/SafeTensorsTests",
    resources: [.copy("Fixtures")],
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "WordPieceTests",
    dependencies: ["WordPiece", "bert"],
    path: "Tests/WordPieceTests",
    resources: [.copy("Fixtures")],
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "PlottingTests",
    dependencies: ["Plotting"],
    path: "Tests/PlottingTests",
    resources: [.copy("Golden")],
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "ChapterTests",
    dependencies: chapters.map { .target(name: $0.target) } + [
      "BERT", "Plotting", "WordPiece", "TensorCore", "NotebookSupport",
    ],
    path: "Tests/ChapterTests",
    swiftSettings: swiftSettings
  ),
  .testTarget(
    name: "BERTTests",
    dependencies: ["BERT", "bert"],
    path: "Tests/BERTTests",
    resources: [.copy("Fixtures")],
    swiftSettings: swiftSettings
  ),
]

for chapter in chapters {
  targets.append(
    .executableTarget(
      name: chapter.target,
      dependencies: [
        "BERT", "Plotting", "WordPiece", "TensorCore", "NotebookSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Chapters/\(chapter.folder)",
      swiftSettings: swiftSettings
    ))
}

targets.append(
  .target(name: "BenchmarkSupport", path: "Benchmarks/Support", swiftSettings: swiftSettings))

for benchmark in benchmarks {
  targets.append(
    .executableTarget(
      name: benchmark.target,
      dependencies: benchmark.dependencies + ["BenchmarkSupport"],
      path: "Benchmarks/\(benchmark.folder)",
      swiftSettings: swiftSettings
    ))
}

let package = Package(
  name: "BertNotebook",
  products: [
    .executable(name: "notebook", targets: ["notebook"]),
    .executable(name: "bert", targets: ["bert"]),
    .library(name: "BERT", targets: ["BERT"]),
    .library(name: "Plotting", targets: ["Plotting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: targets
)
