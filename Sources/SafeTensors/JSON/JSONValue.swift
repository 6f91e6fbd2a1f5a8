// JSONValue: a JSON document kept as written, keys in order.
//
// The safetensors header is parsed into this (by `JSONParser`, which also rejects duplicate
// keys, something Foundation's JSON readers do not report), and `config.json` readers use it to
// keep fields they do not model, through its `Codable` conformance.

/// A JSON value.
///
/// Objects keep their members in document order. Numbers keep integers exactly
/// (`.integer`) apart from other numbers (`.number`).
public enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number written without fraction or exponent that fits in `Int`.
  case integer(Int)
  /// Any other number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object, members in document order.
  case object([JSONMember])

  /// The value of member `key` when this is an object that has it.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// A short name of the kind of value, for error messages ("an object", "a string", ...).
  public var kindDescription: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .integer: return "an integer"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
  /// The member's name.
  public var key: String
  /// The member's value.
  public var value: JSONValue

  /// A member named `key` holding `value`.
  public init(key: String, value: JSONValue) {
    self.key = key
    self.value = value
  }
}

// MARK: - Codable

extension JSONValue: Codable {
  /// Decodes any JSON value; object members come in the decoder's key order.
  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.container(keyedBy: JSONKey.self) {
      self = .object(
        try container.allKeys.map { key in
          JSONMember(key: key.stringValue, value: try container.decode(JSONValue.self, forKey: key))
        })
      return
    }
    if var container = try? decoder.unkeyedContainer() {
      var elements: [JSONValue] = []
      while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
      self = .array(elements)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  /// Encodes the value as the JSON it stands for.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .object(let members):
      var container = encoder.container(keyedBy: JSONKey.self)
      for member in members { try container.encode(member.value, forKey: JSONKey(member.key)) }
    case .array(let elements):
      var container = encoder.unkeyedContainer()
      for element in elements { try container.encode(element) }
    case .null:
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    case .bool(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .integer(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .number(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    case .string(let value):
      var container = encoder.singleValueContainer()
      try container.encode(value)
    }
  }
}

/// A coding key for any member name.
public struct JSONKey: CodingKey, Hashable, Sendable {
  /// The member name.
  public var stringValue: String
  /// Always nil: JSON object keys are strings.
  public var intValue: Int? { nil }

  /// The key named `name`.
  public init(_ name: String) { stringValue = name }
  /// The key named `stringValue`.
  public init?(stringValue: String) { self.stringValue = stringValue }
  /// The key named by the decimal digits of `intValue`.
  public init?(intValue: Int) { stringValue = String(intValue) }
}
