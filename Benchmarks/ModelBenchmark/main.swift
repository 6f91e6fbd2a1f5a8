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
// pooler included, as transformers' BertModel runs it. PyTorch's passes come from
// scripts/bench_inference_torch.py --serve (torch.inference_mode, eval mode, transformers' default
// attention), started once when python3 has torch: it builds the same shapes, then runs one forward
// pass per request and answers with its time, so starting Python stays out of the figures.
//
// The machine may be shared, and its speed changes by tens of percent over seconds: one side
// measured in a slow spell would make the ratio of the two medians say little. So the two sides
// are measured in pairs, one pass of ours and one of PyTorch's back to back, which see nearly the
// same conditions; PyTorch's time over ours within a pair stays fair in a slow spell, and the
// median of those per-pair ratios is the figure to quote. The side that goes first alternates from
// pair to pair, since the second finds the caches and the clock as the first left them. For each
// shape and thread count: one warm-up pass per side (ours also packs the weights for the matrix
// products, once), then --rounds x --runs pairs (3 x 7 by default), so R x N passes per side; any
// positive R and N will do, since every figure below is taken over all R x N pairs together.
// A 30 ms pause comes before every pass: PyTorch's OpenMP threads spin for a while after a parallel
// region and would take CPU from a pass of ours that followed at once; ours sleep as soon as their
// work is done, so the pause treats both sides alike. With one thread, both passes of a pair run on
// the same CPU, and the CPU changes every two pairs (one pair in each order): each CPU here has
// slow spells of its own, and a process unpinned tends to stay on the CPU it last ran on, so one
// side could sit on a slow CPU for many pairs while the other ran on a fast one. The table gives
// the median and the fastest pass of each side, the ratio of the medians and the median of the
// per-pair ratios. The load average is printed first; compare the columns of one run rather than
// runs of different days.

import BERT
import BenchmarkSupport
import Foundation

// MARK: - Arguments

/// What --help and a bad argument print.
let usageText =
  "usage: model-benchmark [--runs N] [--rounds R] [--threads 1,2] [--shapes minilm,base] [--skip-torch]\n"
  + "  R x N pairs of passes per shape and thread count (3 x 7 by default, any positive R and N),\n"
  + "  one of ours and one of PyTorch's in each; --skip-torch times ours alone"

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
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 1 else {
      exitWithUsage(usageText, problem: "--runs needs a positive integer")
    }
    runs = value
  case "--rounds":
    guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 1 else {
      exitWithUsage(usageText, problem: "--rounds needs a positive integer")
    }
    rounds = value
  case "--threads":
    let values = arguments.popFirst()?.split(separator: ",").compactMap { Int($0) } ?? []
    guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
      exitWithUsage(usageText, problem: "--threads needs positive integers, e.g. 1,2")
    }
    threadCounts = values
  case "--shapes":
    let values = arguments.popFirst()?.split(separator: ",").map(String.init) ?? []
    guard !values.isEmpty, values.allSatisfy({ name in allShapes.contains { $0.name == name } }) else {
      exitWithUsage(usageText, problem: "--shapes takes minilm, base or both")
    }
    shapeNames = values
  case "--skip-torch":
    runTorch = false
  default:
    exitWithUsage(
      usageText, problem: argument == "--help" || argument == "-h" ? nil : "unknown argument \(argument)")
  }
}
let shapes = allShapes.filter { shapeNames.contains($0.name) }

// MARK: - PyTorch's side

/// Why PyTorch's script could not start or stopped answering.
struct TorchFailure: Error {
  /// What happened, in a few words.
  let reason: String
  /// The last lines the script wrote to its standard error, if any.
  let details: [String]
}

/// PyTorch's side of the pairs: scripts/bench_inference_torch.py --serve as a child process, which
/// has built the same shapes and runs one timed forward pass per request.
struct TorchServer {
  let child: LineChild
  /// The versions and the attention implementation, for the last line of the output.
  let description: String

  /// Starts the script with `python` for the shapes `names` and waits until it has built its models.
  init(python: String, script: String, names: [String]) throws(TorchFailure) {
    guard let child = LineChild(python, [script, "--serve", "--shapes", names.joined(separator: ",")])
    else {
      throw TorchFailure(reason: "\(python) did not start", details: [])
    }
    guard let reply = Self.nextReply(child), reply["ready"] as? Bool == true else {
      let how = child.finish()
      throw TorchFailure(reason: "the script \(how) before it was ready", details: child.errorTail(1))
    }
    self.child = child
    description =
      "PyTorch \(reply["torch"] ?? "?"), transformers \(reply["transformers"] ?? "?"), "
      + "attention \(reply["attention"] ?? "?")"
  }

  /// The next line of the script's output that is a JSON object; nil once the output has ended.
  /// Other lines (a library printing to standard output) are passed over.
  private static func nextReply(_ child: LineChild) -> [String: Any]? {
    while let line = child.readLine() {
      if let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] {
        return object
      }
    }
    return nil
  }

  /// Runs one forward pass of the shape `name` with `threads` threads, on `cpu` when one is given,
  /// and returns its time in seconds.
  func pass(_ name: String, threads: Int, cpu: Int?) throws(TorchFailure) -> Double {
    let request = "\(name) \(threads)" + (cpu.map { " \($0)" } ?? "")
    do { try child.send(request) } catch { throw ended("stopped reading requests") }
    guard let reply = Self.nextReply(child) else { throw ended("stopped answering") }
    if let message = reply["error"] as? String {
      throw TorchFailure(reason: "the script refused the pass: \(message)", details: [])
    }
    guard let seconds = reply["seconds"] as? Double else {
      throw TorchFailure(reason: "the script answered without a time", details: [])
    }
    return seconds
  }

  /// The failure of a script that has stopped (`what`): how it ended and what it said last.
  private func ended(_ what: String) -> TorchFailure {
    let how = child.finish()
    return TorchFailure(reason: "the script \(what) and \(how)", details: child.errorTail(5))
  }

  /// Asks the script to quit and waits for it to exit.
  func quit() {
    try? child.send("quit")
    child.finish()
  }
}

/// Prints `failure`, which came `when` ("to start", "at minilm, 2 threads"): what happened, the
/// script's last lines, then `consequence` for the figures.
func report(_ failure: TorchFailure, _ when: String, consequence: String) {
  print("(PyTorch's script failed \(when): \(failure.reason))")
  for line in failure.details { print("  \(line)") }
  print("(\(consequence))\n")
}

// MARK: - Measurements

/// The median and the fastest of `times`.
func summary(_ times: [Double]) -> (median: Double, fastest: Double) {
  (median(times), times.min() ?? .nan)
}

/// The 30 ms pause before every pass (why: see the top of the file).
func restBeforePass() { Thread.sleep(forTimeInterval: 0.03) }

/// The timed passes of one shape and thread count.
struct Passes {
  /// Our passes, in seconds.
  var ours: [Double] = []
  /// PyTorch's passes, in seconds: as many as ours when the script answered throughout, fewer or
  /// none when it failed or never started (and then the table leaves PyTorch out of this row).
  var torch: [Double] = []
  /// Whether every pair has PyTorch's pass, so that the table shows PyTorch's figures: not when
  /// the script failed during this row or before it (rows measured before a failure keep theirs).
  /// There is always at least one pair, so this is false when PyTorch has no passes.
  var paired: Bool { torch.count == ours.count }
  /// PyTorch's time over ours, pair by pair (above 1 when ours is faster).
  var ratios: [Double] { zip(torch, ours).map { $0 / $1 } }
}

/// The input of `shape`: random token ids, the same on every run.
func input(for shape: Shape) -> BertInput {
  var rng = RandomGenerator(seed: 1)
  let ids = (0..<(shape.batch * shape.length)).map { _ in 1000 + rng.integer(below: 28_000) }
  return BertInput(batchSize: shape.batch, sequenceLength: shape.length, inputIds: ids)
}

/// Times `pairs` pairs of inference passes of `shape` with `threads` threads, one of ours and one
/// of PyTorch's in each, after one warm-up pass per side; ours alone when `torch` is nil. When the
/// script fails, says what happened, sets `torch` to nil and goes on with ours alone.
func measure(
  _ shape: Shape, model: BertModel, threads: Int, pairs: Int, torch: inout TorchServer?
) -> Passes {
  Parallel.threadCount = threads
  let input = input(for: shape)
  var checksum: Float = 0

  // With one thread, both passes of a pair run on one CPU, which changes every two pairs (see the
  // top of the file).
  let cpus = threads == 1 && torch != nil ? allowedCPUs() : nil
  func cpu(forPair pair: Int) -> Int? { cpus.map { $0[pair / 2 % $0.count] } }

  /// One pass of ours, in seconds, after the pause (on `cpu` when one is given).
  func ours(cpu: Int? = nil) -> Double {
    restBeforePass()
    let pass = {
      let start = now()
      let output = model.predict(input)
      let seconds = now() - start
      checksum += output.lastHiddenState.scalars[0]
      return seconds
    }
    return cpu.map { onCPU($0, pass) } ?? pass()
  }

  /// One pass of PyTorch's, in seconds, after the pause (on `cpu` when one is given); nil once
  /// the script has failed.
  func theirs(cpu: Int? = nil) -> Double? {
    guard let server = torch else { return nil }
    restBeforePass()
    do throws(TorchFailure) {
      return try server.pass(shape.name, threads: threads, cpu: cpu)
    } catch {
      report(
        error, "at \(shape.name), \(threads) thread\(threads == 1 ? "" : "s")",
        consequence: "PyTorch's figures for this row and all later ones are left out; ours go on alone")
      server.quit()
      torch = nil
      return nil
    }
  }

  _ = ours()
  _ = theirs()
  var passes = Passes()
  for pair in 0..<pairs {
    let mine: Double
    let reference: Double?
    let cpu = cpu(forPair: pair)
    if pair.isMultiple(of: 2) {
      mine = ours(cpu: cpu)
      reference = theirs(cpu: cpu)
    } else {
      reference = theirs(cpu: cpu)
      mine = ours(cpu: cpu)
    }
    passes.ours.append(mine)
    if let reference { passes.torch.append(reference) }
  }
  // The outputs are read, so no pass can be skipped.
  if !checksum.isFinite { print("(non-finite output)") }
  return passes
}

// MARK: - Run

let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
print("load average: \(load?.joined(separator: " ") ?? "unknown"); GEMM kernel: \(GEMM.kernelName)")

let models = shapes.map { shape in
  var rng = RandomGenerator(seed: 42)
  return BertModel(config: shape.config, rng: &rng)
}
let script = referenceScript("bench_inference_torch.py")
let python = runTorch ? python3Executable() : nil

var torch: TorchServer?
var torchFailure: TorchFailure?
if let python {
  do throws(TorchFailure) {
    torch = try TorchServer(python: python, script: script, names: shapeNames)
  } catch {
    torchFailure = error
  }
}
print(
  "inference (no dropout, no caches), random weights, median and fastest of \(rounds) x \(runs) passes"
    + (torch == nil ? "\n" : " per side, in pairs of ours and PyTorch's\n"))
if let torchFailure {
  report(torchFailure, "to start", consequence: "PyTorch's figures are left out")
} else if runTorch && python == nil {
  print("(python3 not found: PyTorch's figures are left out)\n")
}
/// The versions PyTorch's script reported, for the last line when a row shows its figures.
let torchVersion = torch?.description

/// Every timed pass, by "shape threads".
var passes: [String: Passes] = [:]
for (shape, model) in zip(shapes, models) {
  for threads in threadCounts {
    passes["\(shape.name) \(threads)"] = measure(
      shape, model: model, threads: threads, pairs: rounds * runs, torch: &torch)
  }
}
torch?.quit()

for shape in shapes {
  let tokens = Double(shape.batch * shape.length)
  let throughput = shape.name == "minilm"
  print(
    shape.title
      + (throughput ? ": tokens per second (higher is better)" : ": milliseconds per pass (lower is better)"))
  print(
    "threads | ours median | ours best | PyTorch median | PyTorch best | ours / PyTorch (medians) | "
      + "ours / PyTorch (median of pairs)")
  for threads in threadCounts {
    guard let timed = passes["\(shape.name) \(threads)"] else { continue }
    let mine = summary(timed.ours)
    let reference = timed.paired ? summary(timed.torch) : nil
    func figure(_ seconds: Double) -> String {
      throughput ? fixed(tokens / seconds, 0) : fixed(seconds * 1000, 1)
    }
    let ratio = reference.map { "\(fixed($0.median / mine.median, 2))x" } ?? "-"
    let pairRatio = timed.paired ? "\(fixed(median(timed.ratios), 2))x" : "-"
    print(
      "\(threads)       | \(figure(mine.median)) | \(figure(mine.fastest)) | "
        + "\(reference.map { figure($0.median) } ?? "-") | \(reference.map { figure($0.fastest) } ?? "-") | "
        + "\(ratio) | \(pairRatio)"
    )
  }
  print("")
}
// The last line names PyTorch's versions when any row shows its figures.
if passes.values.contains(where: \.paired), let torchVersion { print("reference: \(torchVersion)") }
