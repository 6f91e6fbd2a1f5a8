import Foundation

// What the benchmarks print besides their figures: the usage, on request or after a bad argument,
// and the text helpers their tables share.

/// Prints `problem` (when there is one), then `text`, the program's usage, and exits: with
/// `status` when it is given, else 0 after a request for help (no problem) and 2 after a problem.
public func exitWithUsage(_ text: String, problem: String? = nil, status: Int32? = nil) -> Never {
  if let problem { print(problem) }
  print(text)
  exit(status ?? (problem == nil ? 0 : 2))
}

/// `text` followed by spaces up to `width` characters; unchanged when it is as wide or wider.
public func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

/// `value` with `digits` decimals.
public func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
