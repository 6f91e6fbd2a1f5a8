import Foundation

// What every benchmark needs around its measurements: a monotonic clock and the median; the path
// of a reference script in scripts/ and the python3 to run it with (numpy, torch or tokenizers);
// ways to run a program once, reading what it prints, or beside the benchmark, answering one
// request line at a time; and pinning the calling thread to one CPU for a pass.

/// Seconds on a monotonic clock.
public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The median of `values`: the middle one, or the mean of the two middle ones (nan for none).
public func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return .nan }
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The path of `name` in the repository's scripts/ folder.
public func referenceScript(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts/\(name)").path
}

/// python3 as the shell finds it (torch may live in a virtual environment or pyenv), or nil.
public func python3Executable() -> String? {
  capture("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"])?
    .trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs a program and returns its standard output, or nil when it cannot start or fails.
public func capture(_ executable: String, _ arguments: [String]) -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  do { try process.run() } catch { return nil }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else { return nil }
  return String(data: data, encoding: .utf8)
}

/// A program that runs beside the benchmark and answers requests, one line each way (a reference
/// script's serve mode), so that it starts once and each request costs only the work it times.
///
/// Its standard error goes to a temporary file rather than a pipe: nobody reads that pipe while
/// the benchmark waits for a reply, and a library that warns at length could fill it and stall
/// the program. The file also keeps what the program said, to show when it fails.
public final class LineChild {
  private let process = Process()
  private let requests = Pipe()
  private let replies = Pipe()
  private let errorLog: URL
  /// What has been read from the program's output beyond the last line returned.
  private var unread = Data()
  /// Whether `finish` has closed the program's input and seen it exit.
  private var finished = false
  /// What the program wrote to its standard error, read by `finish`.
  private var errorText = ""

  /// Thrown by `send` once `finish` has closed the program's input.
  public struct InputClosed: Error {}

  /// Starts `executable` with `arguments`; nil when it cannot start.
  public init?(_ executable: String, _ arguments: [String]) {
    // Writing to a program that has died would raise SIGPIPE and end the benchmark with it;
    // ignored, the write fails instead and `send` reports it.
    signal(SIGPIPE, SIG_IGN)
    errorLog = FileManager.default.temporaryDirectory
      .appendingPathComponent("line-child-\(UUID().uuidString).log")
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = requests
    process.standardOutput = replies
    if FileManager.default.createFile(atPath: errorLog.path, contents: nil),
      let log = FileHandle(forWritingAtPath: errorLog.path)
    {
      process.standardError = log
    } else {
      process.standardError = FileHandle.nullDevice
    }
    do { try process.run() } catch {
      try? FileManager.default.removeItem(at: errorLog)
      return nil
    }
  }

  /// Sends `line` and a newline to the program's standard input; throws when it no longer reads.
  public func send(_ line: String) throws {
    guard !finished else { throw InputClosed() }
    try requests.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
  }

  /// The next line the program prints, without its newline; nil once it has closed its output
  /// (it has exited, or is about to).
  public func readLine() -> String? {
    while true {
      if let newline = unread.firstIndex(of: UInt8(ascii: "\n")) {
        let line = unread[unread.startIndex..<newline]
        unread = Data(unread[unread.index(after: newline)...])
        return String(decoding: line, as: UTF8.self)
      }
      // `availableData` waits for at least one byte and is empty only at the end of the output.
      let chunk = replies.fileHandleForReading.availableData
      if chunk.isEmpty { return nil }
      unread.append(chunk)
    }
  }

  /// Closes the program's standard input, waits for it to exit and says how it ended
  /// ("exited with status 1", "was killed by signal 9"). What it wrote to its standard error is kept
  /// for `errorTail` and the temporary file removed.
  @discardableResult
  public func finish() -> String {
    if !finished {
      try? requests.fileHandleForWriting.close()
      process.waitUntilExit()
      errorText = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
      try? FileManager.default.removeItem(at: errorLog)
      finished = true
    }
    let how = process.terminationReason == .uncaughtSignal ? "was killed by signal" : "exited with status"
    return "\(how) \(process.terminationStatus)"
  }

  /// The last `count` non-empty lines the program wrote to its standard error, once `finish` has
  /// returned.
  public func errorTail(_ count: Int) -> [String] {
    errorText.split(separator: "\n").suffix(count).map(String.init)
  }

  deinit {
    // The file, when `finish` never ran; the program ends when its input closes with this object.
    try? FileManager.default.removeItem(at: errorLog)
  }
}

// MARK: - CPU affinity

// sched_getaffinity and sched_setaffinity are GNU extensions that Swift's Glibc module leaves out;
// they are looked up in the C library by name. Both act on the calling thread (pid 0).

/// A C function of the shape of sched_getaffinity and sched_setaffinity.
private typealias AffinityCall = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32

/// The C library's function `name`, or nil when it has none.
private func affinityCall(_ name: String) -> AffinityCall? {
  guard let symbol = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
  return unsafeBitCast(symbol, to: AffinityCall.self)
}

/// Looked up once.
private let getAffinity = affinityCall("sched_getaffinity")
private let setAffinity = affinityCall("sched_setaffinity")

/// The calling thread's CPU mask: 1024 bits, as glibc's cpu_set_t.
private typealias CPUMask = [UInt64]

private func currentMask() -> CPUMask? {
  guard let get = getAffinity else { return nil }
  var mask = CPUMask(repeating: 0, count: 16)
  let status = mask.withUnsafeMutableBytes { get(0, $0.count, $0.baseAddress) }
  return status == 0 ? mask : nil
}

@discardableResult
private func setMask(_ mask: CPUMask) -> Bool {
  guard let set = setAffinity else { return false }
  var mask = mask
  return mask.withUnsafeMutableBytes { set(0, $0.count, $0.baseAddress) } == 0
}

/// The CPUs the calling thread may run on, or nil when the system does not say.
public func allowedCPUs() -> [Int]? {
  guard let mask = currentMask() else { return nil }
  let cpus = (0..<(mask.count * 64)).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
  return cpus.isEmpty ? nil : cpus
}

/// Runs `body` with the calling thread on `cpu` alone, then lets it run where it could before.
/// A single-threaded pass runs on the calling thread, so this puts the whole pass on that CPU.
public func onCPU<Result>(_ cpu: Int, _ body: () -> Result) -> Result {
  guard let saved = currentMask(), cpu >= 0, cpu < saved.count * 64 else { return body() }
  var chosen = CPUMask(repeating: 0, count: saved.count)
  chosen[cpu / 64] = 1 << UInt64(cpu % 64)
  guard setMask(chosen) else { return body() }
  defer { setMask(saved) }
  return body()
}
