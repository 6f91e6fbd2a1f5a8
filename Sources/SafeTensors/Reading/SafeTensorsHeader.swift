// SafeTensorsHeader: the JSON header, parsed and checked against the rules in Format.swift.

/// The checked contents of a header: tensors in file order and the metadata.
struct SafeTensorsHeader {
  /// The tensors sorted by their position in the data buffer.
  let entries: [SafeTensorsEntry]
  /// The `__metadata__` map (empty when the header has none).
  let metadata: [String: String]

  /// Parses and validates a header.
  ///
  /// - Parameters:
  ///   - bytes: the N header bytes.
  ///   - bufferLength: the bytes after the header, which the tensors must tile exactly.
  ///   - file: the path used in error messages.
  /// - Throws: `SafeTensorsError` naming the tensor and the rule it breaks.
  init(bytes: [UInt8], bufferLength: Int, file: String) throws(SafeTensorsError) {
    guard String(validating: bytes, as: UTF8.self) != nil else {
      throw SafeTensorsError(file: file, message: "the header is not valid UTF-8")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(bytes)
    } catch {
      throw SafeTensorsError(file: file, message: "header: \(error)")
    }
    guard case .object(let members) = json else {
      throw SafeTensorsError(
        file: file, message: "the header is \(json.kindDescription), expected a JSON object")
    }

    var metadata: [String: String] = [:]
    var unordered: [SafeTensorsEntry] = []
    for member in members {
      if member.key == SafeTensorsLayout.metadataKey {
        metadata = try Self.metadata(member.value, file: file)
      } else {
        unordered.append(try Self.entry(named: member.key, member.value, file: file))
      }
    }
    // File order: by offset; a stable tie-break keeps empty tensors in header order.
    let entries = unordered.enumerated().sorted {
      ($0.element.byteRange.lowerBound, $0.element.byteRange.upperBound, $0.offset)
        < ($1.element.byteRange.lowerBound, $1.element.byteRange.upperBound, $1.offset)
    }.map(\.element)
    try Self.checkTiling(entries, bufferLength: bufferLength, file: file)
    self.entries = entries
    self.metadata = metadata
  }

  // MARK: - Members

  private static func metadata(_ value: JSONValue, file: String) throws(SafeTensorsError) -> [String: String]
  {
    switch value {
    case .null:
      return [:]
    case .object(let members):
      var result: [String: String] = [:]
      for member in members {
        guard case .string(let text) = member.value else {
          throw SafeTensorsError(
            file: file,
            message:
              "__metadata__ value \"\(member.key)\" is \(member.value.kindDescription), expected a string")
        }
        result[member.key] = text
      }
      return result
    default:
      throw SafeTensorsError(
        file: file, message: "__metadata__ is \(value.kindDescription), expected an object of strings")
    }
  }

  private static func entry(
    named name: String, _ value: JSONValue, file: String
  ) throws(SafeTensorsError)
    -> SafeTensorsEntry
  {
    func failure(_ message: String) -> SafeTensorsError {
      SafeTensorsError(file: file, tensor: name, message: message)
    }
    guard case .object = value else {
      throw failure("is \(value.kindDescription), expected an object with dtype, shape and data_offsets")
    }
    guard let dtypeValue = value["dtype"] else { throw failure("missing field \"dtype\"") }
    guard case .string(let dtypeName) = dtypeValue else {
      throw failure("\"dtype\" is \(dtypeValue.kindDescription), expected a string such as \"F32\"")
    }
    guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
      let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
      throw failure("unknown dtype \"\(dtypeName)\"; expected one of \(known)")
    }
    guard let shapeValue = value["shape"] else { throw failure("missing field \"shape\"") }
    guard let shape = naturals(shapeValue) else {
      throw failure("\"shape\" must be an array of non-negative integers")
    }
    guard let offsetsValue = value["data_offsets"] else { throw failure("missing field \"data_offsets\"") }
    guard let offsets = naturals(offsetsValue), offsets.count == 2 else {
      throw failure("\"data_offsets\" must be two non-negative integers [begin, end]")
    }
    guard offsets[0] <= offsets[1] else {
      throw failure("data_offsets [\(offsets[0]), \(offsets[1])] end before they begin")
    }
    return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
  }

  /// The elements of an array of non-negative integers, or nil.
  private static func naturals(_ value: JSONValue) -> [Int]? {
    guard case .array(let elements) = value else { return nil }
    var result: [Int] = []
    for element in elements {
      guard case .integer(let number) = element, number >= 0 else { return nil }
      result.append(number)
    }
    return result
  }

  // MARK: - Layout

  /// Checks that the tensors, in offset order, cover the data buffer exactly once and that each
  /// range has the size its dtype and shape call for.
  private static func checkTiling(
    _ entries: [SafeTensorsEntry], bufferLength: Int, file: String
  )
    throws(SafeTensorsError)
  {
    var covered = 0
    var previous: SafeTensorsEntry?
    for entry in entries {
      func failure(_ message: String) -> SafeTensorsError {
        SafeTensorsError(file: file, tensor: entry.name, message: message)
      }
      let range = entry.byteRange
      let offsets = "data_offsets [\(range.lowerBound), \(range.upperBound)]"
      if range.upperBound > bufferLength {
        throw failure(
          "\(offsets) run past the end of the data buffer, which holds \(bufferLength) bytes"
            + " (is the file truncated?)")
      }
      if range.lowerBound < covered, let previous {
        throw failure(
          "\(offsets) overlap tensor \"\(previous.name)\" at"
            + " [\(previous.byteRange.lowerBound), \(previous.byteRange.upperBound)]")
      }
      if range.lowerBound > covered {
        throw failure(
          "\(offsets) leave bytes [\(covered), \(range.lowerBound)) of the data buffer to no tensor;"
            + " tensors must be contiguous")
      }
      let needed = try byteCount(of: entry, file: file)
      if range.count != needed {
        let shape = "[" + entry.shape.map(String.init).joined(separator: ", ") + "]"
        throw failure(
          "\(offsets) hold \(range.count) bytes, but \(entry.dtype.rawValue) \(shape) needs \(needed)")
      }
      covered = range.upperBound
      previous = entry
    }
    if covered != bufferLength {
      throw SafeTensorsError(
        file: file,
        message: "the tensors cover \(covered) bytes of the data buffer, but it holds \(bufferLength);"
          + " the file has \(bufferLength - covered) bytes that belong to no tensor")
    }
  }

  /// The bytes `entry.shape` of `entry.dtype` occupies, with overflow and packing checks.
  private static func byteCount(of entry: SafeTensorsEntry, file: String) throws(SafeTensorsError) -> Int {
    var bits = entry.dtype.bitWidth
    for dimension in entry.shape {
      let (product, overflow) = bits.multipliedReportingOverflow(by: dimension)
      if overflow {
        throw SafeTensorsError(
          file: file, tensor: entry.name, message: "shape \(entry.shape) is too large to address")
      }
      bits = product
    }
    guard bits % 8 == 0 else {
      throw SafeTensorsError(
        file: file, tensor: entry.name,
        message: "\(entry.dtype.rawValue) shape \(entry.shape) does not end on a byte boundary")
    }
    return bits / 8
  }
}
