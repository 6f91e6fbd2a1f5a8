import Foundation

// The training log: one JSON object per line in `<loggingDir>/trainer_log.jsonl`.
//
//   {"step": 50, "epoch": 0.5, "loss": 6.8123, "learning_rate": 4.5e-05, "grad_norm": 1.93, "tokens_per_second": 4210.7}
//   {"step": 100, "epoch": 1.0, "eval_loss": 6.41, "eval_accuracy": 0.61}
//
// Fields keep the order they were added in, and numbers are printed as Swift prints them
// (the shortest text that reads back to the same Double), so a seeded run writes the same
// bytes every time, except `tokens_per_second`, which measures time; `logTimings: false`
// leaves it out. The Plotting module reads these files for loss curves.

/// One line of the training log: the step, the epoch, and named values in order.
public struct LogRecord: Sendable, Equatable, Codable {
  /// The update step the record belongs to.
  public var step: Int
  /// The epoch reached, fractional (1.5 is halfway through the second epoch).
  public var epoch: Double
  /// The names of the values, in the order they are written.
  public private(set) var names: [String]
  /// The values, matching `names`.
  public private(set) var values: [Double]

  /// A record with no values yet.
  public init(step: Int, epoch: Double) {
    self.step = step
    self.epoch = epoch
    self.names = []
    self.values = []
  }

  /// Adds (or replaces) a value.
  public mutating func set(_ name: String, _ value: Double) {
    if let index = names.firstIndex(of: name) {
      values[index] = value
    } else {
      names.append(name)
      values.append(value)
    }
  }

  /// The value named `name`, if present.
  public subscript(_ name: String) -> Double? {
    names.firstIndex(of: name).map { values[$0] }
  }

  /// The record as one line of JSON (no newline); non-finite values are written as null.
  public var jsonLine: String {
    var fields = ["\"step\": \(step)", "\"epoch\": \(Self.number(epoch))"]
    for (name, value) in zip(names, values) {
      fields.append("\"\(name)\": \(Self.number(value))")
    }
    return "{" + fields.joined(separator: ", ") + "}"
  }

  static func number(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "null"
  }
}

/// Appends records to the log file, flushing each line.
final class LogFileWriter {
  let url: URL
  private let handle: FileHandle

  /// Creates the folder and starts the file with `history` (a fresh file when it is empty).
  init(directory: URL, history: [LogRecord]) throws {
    url = directory.appendingPathComponent("trainer_log.jsonl")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let text = history.map { $0.jsonLine + "\n" }.joined()
      try Data(text.utf8).write(to: url)
      handle = try FileHandle(forWritingTo: url)
      try handle.seekToEnd()
    } catch {
      throw TrainingError.checkpoint("cannot write the log \(url.path): \(error.localizedDescription)")
    }
  }

  deinit { try? handle.close() }

  func append(_ record: LogRecord) {
    handle.write(Data((record.jsonLine + "\n").utf8))
  }
}

// MARK: - Progress

/// Shows progress on standard error: a bar redrawn in place on a terminal, plain lines otherwise.
final class ProgressReporter {
  private let style: ProgressStyle
  private let totalSteps: Int
  private let start = DispatchTime.now().uptimeNanoseconds
  private var lastDraw: UInt64 = 0
  private var drewBar = false

  init(style: ProgressStyle, totalSteps: Int) {
    if style == .automatic {
      self.style = isatty(STDERR_FILENO) != 0 ? .bar : .lines
    } else {
      self.style = style
    }
    self.totalSteps = totalSteps
  }

  /// Seconds since the reporter was made.
  var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

  /// Redraws the bar (at most ten times a second, and at the last step).
  func stepFinished(step: Int, firstStep: Int, loss: Double, tokensPerSecond: Double) {
    guard style == .bar else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard step == totalSteps || now - lastDraw > 100_000_000 else { return }
    lastDraw = now
    let width = 24
    let filled = totalSteps > 0 ? width * step / totalSteps : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let left = timeLeft(step: step, firstStep: firstStep)
    let numbers = String(format: "loss %.4f | %.0f tokens/s", loss, tokensPerSecond)
    let text = "\r\(bar) \(step)/\(totalSteps) | \(numbers) | \(left) left "
    FileHandle.standardError.write(Data(text.utf8))
    drewBar = true
  }

  /// Prints a log record as a plain line (line mode).
  func logged(_ record: LogRecord, firstStep: Int) {
    guard style == .lines else { return }
    var parts = ["step \(record.step)/\(totalSteps)", String(format: "epoch %.2f", record.epoch)]
    for (name, value) in zip(record.names, record.values) {
      parts.append("\(name) \(String(format: "%.5g", value))")
    }
    if record["loss"] != nil { parts.append("\(timeLeft(step: record.step, firstStep: firstStep)) left") }
    // What the program printed before goes out first, so that piped output keeps its order.
    fflush(nil)
    FileHandle.standardError.write(Data((parts.joined(separator: "  ") + "\n").utf8))
  }

  /// Ends the bar's line.
  func finish() {
    if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    drewBar = false
  }

  /// The remaining time at the average pace of the steps run so far, as m:ss or h:mm:ss.
  private func timeLeft(step: Int, firstStep: Int) -> String {
    let done = step - firstStep
    guard done > 0 else { return "?" }
    let seconds = Int((elapsed / Double(done) * Double(totalSteps - step)).rounded())
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
    return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
  }
}
