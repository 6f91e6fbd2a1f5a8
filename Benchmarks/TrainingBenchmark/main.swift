// Training benchmark: tokens per second and peak memory of one full BertForMaskedLM + AdamW
// step, beside PyTorch eager measured in the same run.
//
//   swift run -c release training-benchmark [--steps N] [--rounds R] [--threads N] [--skip-torch]
//
// One step, as the Trainer runs it: zero the gradients, forward with masked-LM labels (15%
// of the tokens, 80/10/10), backward, clip the global gradient norm to 1.0, AdamW (lr 5e-5,
// weight decay 0.01). Batch 16 x 128 tokens, dropout on, 2 threads by default (--threads N).
// Sizes: Tiny (2 layers, H 128) and Mini (4 layers, H 256) with the 30,522-token vocabulary. Our
// masked-LM head decodes only the labelled rows; the reference decodes every position.
//
// Each size runs in a child process (this executable with --child), so each peak resident
// memory (VmHWM from /proc/self/status) belongs to one size alone; PyTorch's figures come
// from scripts/bench_training_torch.py, also one process per size. The machine's GEMM rate,
// the denominator of the "of GEMM" column, is NumPy's (OpenBLAS) on 2048 x 2048 x 2048 with
// the same threads (scripts/bench_training_torch.py --gemm); without numpy, or with
// --skip-torch (which leaves out every Python measurement), it is our own sgemm's on the same
// product. Both are printed.
//
// Model FLOPs count the matrix products of the step as run (forward, and backward at twice
// the forward), masked-LM decoder at the labelled rows only; PyTorch's line counts its
// every-position decoder.
//
// The machine may be shared, and its speed changes for seconds at a time. So the steps and
// NumPy's GEMM rate are measured in --rounds rounds (3 by default): in each, NumPy's GEMM rate,
// then for each size ours and PyTorch's. Step times are the median of every step of all rounds,
// per side; NumPy's rate is the median of the rounds' rates; peak memory is the largest of the
// rounds'. Our sgemm's rate is measured once, before the rounds (the median of 3 products after
// a warm-up).

import BERT
import BenchmarkSupport
import Foundation

// MARK: - Arguments

/// What --help and a bad argument print.
let usageText = "usage: training-benchmark [--steps N] [--rounds R] [--threads N] [--skip-torch]"

var steps = 5
var rounds = 3
var threads = 2
var runTorch = true
var child: BERTConfig.Preset?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--steps":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
      exitWithUsage(usageText, problem: "--steps needs a positive integer")
    }
    steps = value
  case "--rounds":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
      exitWithUsage(usageText, problem: "--rounds needs a positive integer")
    }
    rounds = value
  case "--threads":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
      exitWithUsage(usageText, problem: "--threads needs a positive integer")
    }
    threads = value
  case "--skip-torch":
    runTorch = false
  case "--child":
    guard let preset = arguments.popFirst().flatMap({ BERTConfig.Preset(rawValue: $0) }) else {
      exitWithUsage(usageText, problem: "--child needs a size name")
    }
    child = preset
  default:
    exitWithUsage(
      usageText, problem: argument == "--help" || argument == "-h" ? nil : "unknown argument \(argument)")
  }
}

let batchSize = 16
let sequenceLength = 128
let presets: [BERTConfig.Preset] = [.tiny, .mini]
/// The phases of a step, in order: the child times each, and the main process prints them.
let phaseNames = ["zero", "forward", "backward", "clip", "adamw"]

// MARK: - Measurements

/// Seconds of CPU time this process has used (user and system, all threads).
func cpuTime() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  return user + system
}

/// The peak resident memory of this process in MB (VmHWM), or nil off Linux.
func peakMemoryMB() -> Double? {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
    return kilobytes.map { $0 / 1024 }
  }
  return nil
}

/// The matrix-product FLOPs of one training step (forward x 3).
func stepFLOPs(_ config: BERTConfig, decodedRows: Int) -> Double {
  let (n, h, i) = (
    Double(batchSize * sequenceLength), Double(config.hiddenSize), Double(config.intermediateSize)
  )
  let t = Double(sequenceLength)
  let perLayer = 2 * n * h * (4 * h + 2 * i) + 4 * n * t * h
  let head = 2 * Double(decodedRows) * h * (h + Double(config.vocabSize))
  return 3 * (Double(config.numHiddenLayers) * perLayer + head)
}

/// Median GFLOP/s of our sgemm on a 2048-cube.
func gemmGFLOPs() -> Double {
  let n = 2048
  var rng = RandomGenerator(seed: 1)
  let a = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
  let b = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
  var c = [Float](repeating: 0, count: n * n)
  var times: [Double] = []
  for repetition in 0..<4 {
    let start = now()
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          GEMM.sgemm(
            transposeA: false, transposeB: false, m: n, n: n, k: n, a: a.baseAddress!, lda: n,
            b: b.baseAddress!,
            ldb: n, c: c.baseAddress!, ldc: n)
        }
      }
    }
    if repetition > 0 { times.append(now() - start) }
  }
  return 2 * pow(Double(n), 3) / median(times) / 1e9
}

/// One size, in this process: prints a JSON line with the timings.
func runChild(_ preset: BERTConfig.Preset, steps: Int, threads: Int) {
  Parallel.threadCount = threads
  AllocatorTuning.keepFreedMemoryForReuse()  // as Trainer.train() does
  let config = preset.config
  var rng = RandomGenerator(seed: 42)
  let model = BertForMaskedLM(config: config, rng: &rng)
  let named = model.namedParameters()
  let parameters = named.map(\.parameter)
  let optimizer = AdamW(parameters: named, weightDecay: 0.01)
  // Random tokens between [CLS] and [SEP], masked by the collator the Trainer uses.
  let specials: Set<Int> = [0, 100, 101, 102, 103]
  let examples = (0..<batchSize).map { _ in
    TrainingExample(
      inputIDs: [101] + (0..<(sequenceLength - 2)).map { _ in 1000 + rng.integer(below: 29_000) } + [102])
  }
  let collator = MaskedLanguageModelCollator(
    masker: MaskedLanguageModelMasker(
      maskTokenID: 103, vocabularySize: config.vocabSize, specialTokenIDs: specials))
  var phases: [String: [Double]] = [:]
  var stepTimes: [Double] = []
  var cpuTimes: [Double] = []
  var decodedRows = 0
  for step in 0...steps {
    let batch = collator.collate(examples, using: &rng)
    decodedRows = (batch.tokenLabels ?? []).filter { $0 != -100 }.count
    let cpuStart = cpuTime()
    var marks = [now()]
    for parameter in parameters {
      parameter.zeroGradientInPlace()
    }
    marks.append(now())
    let (output, cache) = model.forward(
      batch.bertInput, labels: batch.tokenLabels, positions: .labelled, mode: .training, rng: &rng)
    marks.append(now())
    if let cache { model.backward(cache: cache) }
    marks.append(now())
    GradientClipping.clip(parameters, maxNorm: 1)
    marks.append(now())
    optimizer.step(learningRate: 5e-5)
    marks.append(now())
    precondition(output.loss?.isFinite == true, "loss \(String(describing: output.loss))")
    guard step > 0 else { continue }  // the first step warms up
    for (index, name) in phaseNames.enumerated() {
      phases[name, default: []].append(marks[index + 1] - marks[index])
    }
    stepTimes.append(marks[marks.count - 1] - marks[0])
    cpuTimes.append(cpuTime() - cpuStart)
  }
  var result: [String: Double] = phases.mapValues(median)
  result["peak_memory_mb"] = peakMemoryMB() ?? .nan
  result["decoded_rows"] = Double(decodedRows)
  result["flops"] = stepFLOPs(config, decodedRows: decodedRows)
  var fields = result.keys.sorted().map { "\"\($0)\": \(result[$0] ?? .nan)" }
  for (key, values) in [("step_times", stepTimes), ("cpu_times", cpuTimes)] {
    fields.append("\"\(key)\": [\(values.map { "\($0)" }.joined(separator: ", "))]")
  }
  print("{" + fields.joined(separator: ", ") + "}")
}

/// The last JSON object line of a program's output, as numbers and strings.
func lastJSON(_ text: String?) -> [String: Any]? {
  guard let line = text?.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
  return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

// MARK: - Run

if let child {
  runChild(child, steps: steps, threads: threads)
  exit(0)
}

let script = referenceScript("bench_training_torch.py")
let python = runTorch ? python3Executable() : nil

Parallel.threadCount = threads
let ourGEMM = gemmGFLOPs()
print(
  "GEMM, 2048^3, \(threads) threads: our sgemm (\(GEMM.kernelName)) \(String(format: "%.1f", ourGEMM)) GFLOP/s"
)
/// Every round's figures for one side of one size.
struct Measured {
  var stepTimes: [Double] = []
  var cpuTimes: [Double] = []
  var peaks: [Double] = []
  /// The last round's JSON (flops, phases, versions).
  var last: [String: Any] = [:]

  /// Adds one round's JSON line (nothing when the run failed).
  mutating func add(_ result: [String: Any]?) {
    guard let result, let times = result["step_times"] as? [Double],
      let cpus = result["cpu_times"] as? [Double],
      let peak = result["peak_memory_mb"] as? Double
    else { return }
    stepTimes += times
    cpuTimes += cpus
    peaks.append(peak)
    last = result
  }

  var step: Double { median(stepTimes) }
  var cpu: Double { median(cpuTimes) }
  var peak: Double { peaks.max() ?? .nan }
}

var numpyRates: [Double] = []
var numpyVersion = "?"
var ours: [BERTConfig.Preset: Measured] = [:]
var torch: [BERTConfig.Preset: Measured] = [:]
let childArguments = ["--steps", "\(steps)", "--threads", "\(threads)"]
for _ in 0..<rounds {
  if let python,
    let numpy = lastJSON(capture(python, [script, "--gemm", "--threads", "\(threads)"])),
    let rate = numpy["numpy_gflops"] as? Double
  {
    numpyRates.append(rate)
    numpyVersion = "\(numpy["numpy"] ?? "?")"
  }
  for preset in presets {
    ours[preset, default: Measured()].add(
      lastJSON(capture(CommandLine.arguments[0], ["--child", preset.rawValue] + childArguments)))
    if let python {
      torch[preset, default: Measured()].add(
        lastJSON(capture(python, [script, "--config", preset.rawValue] + childArguments)))
    }
  }
}
if !numpyRates.isEmpty {
  print(
    "GEMM, 2048^3, \(threads) threads: NumPy \(numpyVersion) \(String(format: "%.1f", median(numpyRates))) GFLOP/s"
      + " (median of \(numpyRates.count) rounds)")
}
/// The machine's GEMM rate: NumPy's when it could be measured, else ours.
let gemm = numpyRates.isEmpty ? ourGEMM : median(numpyRates)
print("(\"of GEMM\" below is model GFLOP/s over \(numpyRates.isEmpty ? "our sgemm's" : "NumPy's") rate)")
print("")
print(
  "BertForMaskedLM + AdamW, one full step, batch \(batchSize) x \(sequenceLength), \(threads) threads, median of \(rounds) x \(steps)"
)
print("(CPU s: user + system seconds of the whole process per step; a busy machine stretches")
print("the wall-clock figures, much less the CPU ones)")
print("")
print(
  "| size | implementation | step s | CPU s | tokens/s | speed-up | CPU speed-up | model GFLOP/s | of GEMM | peak MB | memory |"
)
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

/// One table row.
func row(
  _ size: String, _ name: String, step: Double, cpu: Double, flops: Double, peak: Double,
  reference: (step: Double, cpu: Double, peak: Double)?
) -> String {
  let tokens = Double(batchSize * sequenceLength)
  let ratios =
    reference.map {
      [
        String(format: "%.2fx", $0.step / step), String(format: "%.2fx", $0.cpu / cpu),
      ]
    } ?? ["-", "-"]
  let memory = reference.map { String(format: "%.2f", peak / $0.peak) } ?? "-"
  let cells = [
    size, name, String(format: "%.3f", step), String(format: "%.3f", cpu),
    String(format: "%.0f", tokens / step),
    ratios[0], ratios[1], String(format: "%.1f", flops / step / 1e9),
    String(format: "%.0f%%", 100 * flops / step / 1e9 / gemm),
    String(format: "%.0f", peak), memory,
  ]
  return "| " + cells.joined(separator: " | ") + " |"
}

var phaseLines: [String] = []
for preset in presets {
  guard let mine = ours[preset], let flops = mine.last["flops"] as? Double else {
    print("| \(preset.rawValue) | BertNotebook | failed | | | | | | | | |")
    continue
  }
  let theirs = torch[preset].flatMap { $0.stepTimes.isEmpty ? nil : $0 }
  let reference = theirs.map { (step: $0.step, cpu: $0.cpu, peak: $0.peak) }
  print(
    row(
      preset.rawValue, "BertNotebook", step: mine.step, cpu: mine.cpu, flops: flops, peak: mine.peak,
      reference: reference))
  if let theirs {
    print(
      row(
        preset.rawValue, "PyTorch \(theirs.last["torch"] ?? "?") eager", step: theirs.step, cpu: theirs.cpu,
        flops: stepFLOPs(preset.config, decodedRows: batchSize * sequenceLength), peak: theirs.peak,
        reference: reference))
  }
  let phases = phaseNames.map { name in
    "\(name) \(String(format: "%.0f", 1000 * ((mine.last[name] as? Double) ?? .nan))) ms"
  }
  phaseLines.append(
    "\(preset.rawValue): \(phases.joined(separator: ", ")); \(Int((mine.last["decoded_rows"] as? Double) ?? 0)) rows decoded"
  )
}
print("")
print("Our step by phase (wall clock, medians of the last round):")
for line in phaseLines { print("  " + line) }
if runTorch && python == nil { print("(python3 not found: PyTorch's figures are left out)") }
