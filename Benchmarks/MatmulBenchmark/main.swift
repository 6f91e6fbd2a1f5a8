// Matmul benchmark: GFLOP/s of GEMM.sgemm beside NumPy's matmul (OpenBLAS), in the same run.
//
//   swift run -c release matmul-benchmark [--repetitions N] [--skip-numpy]
//
// Shapes: square 512 and 1024, and the BERT-base shapes with 2048 tokens (batch x sequence):
// M=2048,K=256,N=1024 and M=2048,K=1024,N=256 (the feed-forward projections at hidden size 256
// and the matching backward products), and M=2048,K=256,N=30522 (the vocabulary projection of
// the masked-language-model head). Each BERT shape is timed as A B, as A^T B (the weight
// gradient form, A stored K x M) and as A B^T (the form of a product with a weight stored
// out x in, B stored N x K). Each cell is the median of the repetitions after one warm-up call,
// with one thread and with every core. NumPy's figures come from scripts/bench_matmul_numpy.py,
// run right after ours for each shape; without python3 and numpy that column is left out with
// a note.
//
// The machine may be busy with other work: a figure far from its neighbours is noise, and
// running again is the check.

import BenchmarkSupport
import Foundation
import TensorCore

// MARK: - Cases

/// One timed product: C (m x n) = op(A) (m x k) op(B) (k x n).
struct Case: Codable {
  var m: Int
  var k: Int
  var n: Int
  var transposeA: Bool
  var transposeB: Bool

  /// "A B", "A^T B" or "A B^T".
  var form: String { (transposeA ? "A^T" : "A") + " " + (transposeB ? "B^T" : "B") }
  var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

let squareSizes = [512, 1024]
let bertShapes = [(m: 2048, k: 256, n: 1024), (m: 2048, k: 1024, n: 256), (m: 2048, k: 256, n: 30522)]
let cases: [Case] =
  squareSizes.map { Case(m: $0, k: $0, n: $0, transposeA: false, transposeB: false) }
  + bertShapes.flatMap { shape in
    [(false, false), (true, false), (false, true)].map {
      Case(m: shape.m, k: shape.k, n: shape.n, transposeA: $0.0, transposeB: $0.1)
    }
  }

// MARK: - Arguments

var repetitions = 7
var runNumPy = true
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--repetitions":
    guard let text = arguments.popFirst(), let value = Int(text), value >= 1 else {
      print("--repetitions needs a positive integer")
      exit(2)
    }
    repetitions = value
  case "--skip-numpy":
    runNumPy = false
  default:
    // An unknown argument gets the usage alone, with status 2.
    exitWithUsage(
      "usage: matmul-benchmark [--repetitions N] [--skip-numpy]",
      status: argument == "--help" || argument == "-h" ? 0 : 2)
  }
}

let allCores = Parallel.defaultThreadCount
let threadCounts = allCores > 1 ? [1, allCores] : [1]

// MARK: - Our timings

/// Median GFLOP/s of `GEMM.sgemm` with `kernel` on `item` over `repetitions` calls, after one
/// warm-up call.
func measure(_ item: Case, threads: Int, repetitions: Int, kernel: GEMM.Kernel = .best) -> Double {
  var rng = RandomGenerator(seed: 1)
  let a = (0..<(item.m * item.k)).map { _ in rng.uniform(-1, 1) }
  let b = (0..<(item.k * item.n)).map { _ in rng.uniform(-1, 1) }
  var c = [Float](repeating: 0, count: item.m * item.n)
  Parallel.threadCount = threads
  defer { Parallel.threadCount = Parallel.defaultThreadCount }
  let run = {
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          GEMM.sgemm(
            kernel: kernel, transposeA: item.transposeA, transposeB: item.transposeB, m: item.m, n: item.n,
            k: item.k, a: a.baseAddress!, lda: item.transposeA ? item.m : item.k,
            b: b.baseAddress!, ldb: item.transposeB ? item.k : item.n, c: c.baseAddress!, ldc: item.n)
        }
      }
    }
  }
  run()
  var seconds: [Double] = []
  for _ in 0..<repetitions {
    let start = now()
    run()
    seconds.append(now() - start)
  }
  return item.flops / median(seconds) / 1e9
}

print("GEMM kernel on this CPU: \(GEMM.kernelName)")
let square = Case(m: 1024, k: 1024, n: 1024, transposeA: false, transposeB: false)
for kernel in GEMM.Kernel.available {
  let figure = measure(square, threads: 1, repetitions: repetitions, kernel: kernel)
  print("  kernel \(pad(kernel.name, 9)) 1024 x 1024 x 1024, 1 thread: \(number(figure)) GFLOP/s")
}
print("\nThreads: 1 and \(allCores) (all cores); median of \(repetitions) runs per cell\n")

// MARK: - NumPy's timings

/// What the NumPy script prints.
struct NumPyReport: Decodable {
  struct Library: Decodable {
    var internalAPI: String?
    var version: String?
    var architecture: String?
    enum CodingKeys: String, CodingKey {
      case internalAPI = "internal_api"
      case version, architecture
    }
  }
  /// A case as sent, with the thread count and the figure.
  struct Result: Decodable {
    var item: Case
    var threads: Int
    var gflops: Double
    enum CodingKeys: String, CodingKey {
      case threads, gflops
    }
    init(from decoder: any Decoder) throws {
      item = try Case(from: decoder)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      threads = try container.decode(Int.self, forKey: .threads)
      gflops = try container.decode(Double.self, forKey: .gflops)
    }
  }
  var numpy: String
  var blas: [Library]?
  var results: [Result]
}

/// Runs scripts/bench_matmul_numpy.py on `cases`; nil (after printing why) when it cannot run.
func runNumPyScript(cases: [Case], threadCounts: [Int], repetitions: Int) -> NumPyReport? {
  let script = URL(fileURLWithPath: referenceScript("bench_matmul_numpy.py"))
  guard FileManager.default.fileExists(atPath: script.path) else {
    print("NumPy column left out: \(script.path) not found")
    return nil
  }
  guard let casesJSON = try? String(decoding: JSONEncoder().encode(cases), as: UTF8.self) else {
    return nil
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", script.path, "--cases", casesJSON,
    "--threads", threadCounts.map(String.init).joined(separator: ","),
    "--repetitions", String(repetitions),
  ]
  // Let OpenBLAS choose its own kernel for this CPU (only in the child's environment).
  var environment = ProcessInfo.processInfo.environment
  environment["OPENBLAS_CORETYPE"] = nil
  environment["OPENBLAS_L2_SIZE"] = nil
  process.environment = environment
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  do {
    try process.run()
  } catch {
    print("NumPy column left out: cannot run python3 (\(error.localizedDescription))")
    return nil
  }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    let reason =
      process.terminationStatus == 127
      ? "python3 not found"
      : errorText.contains("No module named 'numpy'") ? "numpy is not installed" : errorText
    print("NumPy column left out: python3 \(script.lastPathComponent) failed: \(reason)")
    return nil
  }
  do {
    return try JSONDecoder().decode(NumPyReport.self, from: data)
  } catch {
    print("NumPy column left out: cannot read the script's output (\(error))")
    return nil
  }
}

/// "OpenBLAS 0.3.x (kernel SkylakeX)": the BLAS library NumPy uses, as threadpoolctl reports it.
func describeLibraries(_ report: NumPyReport) -> String {
  let libraries = (report.blas ?? []).map {
    "\($0.internalAPI ?? "BLAS") \($0.version ?? "?") (kernel \($0.architecture ?? "?"))"
  }
  return "NumPy \(report.numpy), "
    + (libraries.isEmpty ? "BLAS unknown (no threadpoolctl)" : libraries.joined(separator: ", "))
}

// MARK: - Measuring
//
// Case by case, ours then NumPy's, so both sides of a row see the same load on the machine.

func key(_ item: Case, _ threads: Int) -> String {
  "\(item.m)x\(item.k)x\(item.n) \(item.form) \(threads)"
}
var ours: [String: Double] = [:]
var theirs: [String: Double] = [:]
var numPyDescription: String?
var numPyRuns = runNumPy
for item in cases {
  for threads in threadCounts {
    ours[key(item, threads)] = measure(item, threads: threads, repetitions: repetitions)
  }
  guard numPyRuns else { continue }
  guard let report = runNumPyScript(cases: [item], threadCounts: threadCounts, repetitions: repetitions)
  else {
    numPyRuns = false
    continue
  }
  for result in report.results { theirs[key(result.item, result.threads)] = result.gflops }
  numPyDescription = numPyDescription ?? describeLibraries(report)
}
if let numPyDescription { print(numPyDescription + "\n") }

// MARK: - Table

func number(_ value: Double?, decimals: Int = 1) -> String {
  guard let value else { return "-" }
  return String(format: "%.\(decimals)f", value)
}

let header = [
  pad("M x K x N", 20), pad("form", 7), pad("threads", 8), pad("ours GFLOP/s", 13),
  pad("NumPy GFLOP/s", 14), "ours/NumPy",
]
print(header.joined(separator: " "))
for threads in threadCounts {
  for item in cases {
    let mine = ours[key(item, threads)]
    let numpy = theirs[key(item, threads)]
    let ratio = mine.flatMap { mine in numpy.map { mine / $0 } }
    let row = [
      pad("\(item.m) x \(item.k) x \(item.n)", 20), pad(item.form, 7), pad(String(threads), 8),
      pad(number(mine), 13), pad(number(numpy), 14), number(ratio, decimals: 2),
    ]
    print(row.joined(separator: " "))
  }
}
