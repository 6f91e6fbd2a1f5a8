import Foundation

// What every benchmark needs around its measurements: a clock and a way to run the reference
// scripts (python3 with numpy, torch or tokenizers) and read what they print.

/// Seconds on a monotonic clock.
public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

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
