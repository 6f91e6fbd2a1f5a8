// Model benchmark: inference speed of the BERT encoder, beside PyTorch eager measured in the same run.
//
//   swift run -c release model-benchmark [--runs N] [--rounds R] [--threads 1,2] [--shapes minilm,base]
//                                        [--skip-torch]
//
// Two shapes, random weights (the values do not change the time), no padding:
//   minilm  all-MiniLM-L6-v2's shape (6 layers, H 384, 12 heads, I 1536, V 30522), batch 8 x 128:
//           throughput in tokens per second
//   base    BERT-base from the preset (12 layers, H 768, 12 heads, I 3072), batch 1 x 128:
//           latency of one forward pass
// A pass is `BertModel.predict` (ForwardMode.inference: no dropout, no caches for backward),
// pooler included, as transformers' BertModel runs it. One warm-up pass (it also packs the
// weights for the matrix products, once), then --runs timed passes (at least 5). PyTorch's figures
// come from scripts/bench_inference_torch.py (torch.inference_mode, eval mode, transformers'
// default attention) with the same shapes and thread counts, when python3 has torch.
//
// The machine may be shared, and its speed can change for seconds at a time: one side measured
// entirely in a slow spell would make the ratio say little. So the measurement comes in --rounds
// rounds (3 by default), ours and then PyTorch's in each, and the table gives the median and the
// fastest of every pass of all rounds, for each side. The load average is printed first; compare
// the two columns of one run rather than runs of different days.

import BERT
import BenchmarkSupport
import Foundation

// MARK: - Arguments

/// Prints the usage (after `problem`, if any) and exits, with status 2 on a problem.
func usage(_ problem: String?) -> Never {
  if let problem { print(problem) }
  print(
    "usage: model-benchmark [--runs N] [--rounds R] [--threads 1,2] [--shapes minilm,base] [--skip-torch]")
  exit(problem == nil ? 0 : 2)
}

/// One benchmarked shape.
struct Shape {
  let name: String
  let title: String
  let config: BERTConfig
  let batch: Int
  let length: Int
}

let allShapes = [
  Shape(
    name: "minilm", title: "MiniLM-L6 shape, batch 8 x 128",
    config: BERTConfig(hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12, intermediateSize: 1536),
    batch: 8, length: 128),
  Shape(name: "base", title: "BERT-base, batch 1 x 128", config: .base, batch: 1, length: 128),
]

var runs = 7
var rounds = 3
var threadCounts = [1, 2]
var shapeNames = ["minilm", "base"]
var runTorch = true
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--runs":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 5 else {
      usage("--runs needs an integer of at least 5")
    }
    runs = value
  case "--rounds":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 1 else {
      usage("--rounds needs a positive integer")
    }
    rounds = value
  case "--threads":
    let values = arguments.popFirst()?.split(separator: ",").compactMap { Int($0) } ?? []
    guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
      usage("--threads needs positive integers, e.g. 1,2")
    }
    threadCounts = values
  case "--shapes":
    let values = arguments.popFirst()?.split(separator: ",").map(String.init) ?? []
    guard !values.isEmpty, values.allSatisfy({ name in allShapes.contains { $0.name == name } }) else {
      usage("--shapes takes minilm, base or both")
    }
    shapeNames = values
  case "--skip-torch":
    runTorch = false
  default:
    usage(argument == "--help" || argument == "-h" ? nil : "unknown argument \(argument)")
  }
}
let shapes = allShapes.filter { shapeNames.contains($0.name) }

// MARK: - Measurements

/// The median and the fastest of `times`.
func summary(_ times: [Double]) -> (median: Double, fastest: Double) {
  let sorted = times.sorted()
  let middle = sorted.count / 2
  let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return (median, sorted[0])
}

/// Times `runs` inference passes of `shape` with `threads` threads, after one warm-up pass.
func measure(_ shape: Shape, model: BertModel, threads: Int, runs: Int) -> [Double] {
  Parallel.threadCount = threads
  var rng = RandomGenerator(seed: 1)
  let ids = (0..<(shape.batch * shape.length)).map { _ in 1000 + rng.integer(below: 28_000) }
  let input = BertInput(batchSize: shape.batch, sequenceLength: shape.length, inputIds: ids)
  var checksum: Float = model.predict(input).lastHiddenState.scalars[0]
  var times: [Double] = []
  for _ in 0..<runs {
    let start = now()
    let output = model.predict(input)
    times.append(now() - start)
    checksum += output.lastHiddenState.scalars[0]
  }
  // The outputs are read, so no pass can be skipped.
  if !checksum.isFinite { print("(non-finite output)") }
  return times
}

/// Formats `value` with `digits` decimals.
func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

// MARK: - Run

let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
print("load average: \(load?.joined(separator: " ") ?? "unknown"); GEMM kernel: \(GEMM.kernelName)")
print(
  "inference (no dropout, no caches), random weights, median and fastest of \(rounds) x \(runs) passes\n")

let models = shapes.map { shape in
  var rng = RandomGenerator(seed: 42)
  return BertModel(config: shape.config, rng: &rng)
}
let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("scripts/bench_inference_torch.py").path
// python3 as the shell finds it (torch may live in a virtual environment or pyenv).
let python =
  runTorch
  ? capture("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"])?
    .trimmingCharacters(in: .whitespacesAndNewlines) : nil

/// Every timed pass of each side, by "shape threads".
var ourTimes: [String: [Double]] = [:]
var torchTimes: [String: [Double]] = [:]
var torchVersion = ""
for _ in 0..<rounds {
  for (shape, model) in zip(shapes, models) {
    for threads in threadCounts {
      ourTimes["\(shape.name) \(threads)", default: []] += measure(
        shape, model: model, threads: threads, runs: runs)
    }
  }
  let output = python.flatMap {
    capture(
      $0,
      [
        script, "--runs", "\(runs)", "--threads", threadCounts.map(String.init).joined(separator: ","),
        "--shapes", shapeNames.joined(separator: ","),
      ])
  }
  for line in output?.split(separator: "\n") ?? [] {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
      let name = object["shape"] as? String, let threads = object["threads"] as? Int,
      let times = object["times_seconds"] as? [Double]
    else { continue }
    torchTimes["\(name) \(threads)", default: []] += times
    torchVersion =
      "PyTorch \(object["torch"] ?? "?"), transformers \(object["transformers"] ?? "?"), "
      + "attention \(object["attention"] ?? "?")"
  }
}
if runTorch && torchTimes.isEmpty {
  print("(python3 with torch not found: PyTorch's figures are left out)\n")
}
let ours = ourTimes.mapValues(summary)
let torch = torchTimes.mapValues(summary)

for shape in shapes {
  let tokens = Double(shape.batch * shape.length)
  let throughput = shape.name == "minilm"
  print(
    shape.title
      + (throughput ? ": tokens per second (higher is better)" : ": milliseconds per pass (lower is better)"))
  print("threads | ours median | ours best | PyTorch median | PyTorch best | ours / PyTorch (medians)")
  for threads in threadCounts {
    guard let mine = ours["\(shape.name) \(threads)"] else { continue }
    let reference = torch["\(shape.name) \(threads)"]
    func figure(_ seconds: Double) -> String {
      throughput ? fixed(tokens / seconds, 0) : fixed(seconds * 1000, 1)
    }
    let ratio = reference.map { "\(fixed($0.median / mine.median, 2))x" } ?? "-"
    print(
      "\(threads)       | \(figure(mine.median)) | \(figure(mine.fastest)) | "
        + "\(reference.map { figure($0.median) } ?? "-") | \(reference.map { figure($0.fastest) } ?? "-") | \(ratio)"
    )
  }
  print("")
}
if !torchVersion.isEmpty { print("reference: \(torchVersion)") }
