// Extractive question answering metrics, as the official SQuAD evaluation script defines them.
//
// Both answers are normalised first: lower case, ASCII punctuation removed, the articles
// "a", "an", "the" removed as whole words, whitespace collapsed to single spaces. Then:
//
//   exact match = 1 if the normalised strings are equal, else 0
//   token F1    = 2 P R / (P + R), where with c the number of tokens the two answers
//                 share (counted with multiplicity), P = c / |prediction|, R = c / |truth|
//
// With several reference answers the best score over them counts. When an answer
// normalises to no tokens, F1 is 1 if both are empty and 0 otherwise (SQuAD 2.0's rule).

/// Exact match and token F1 of predicted answer spans.
///
/// ```
/// SpanMetrics.exactMatch(prediction: "The Eiffel Tower!", groundTruths: ["eiffel tower"])  // 1
/// SpanMetrics.f1(prediction: "in the Eiffel Tower", groundTruths: ["eiffel tower"])        // 0.8
/// ```
public enum SpanMetrics {
  /// The SQuAD normalisation: lower case, no punctuation, no articles, single spaces.
  public static func normalize(_ text: String) -> String {
    let lowered = text.lowercased()
    let withoutPunctuation = String(
      String.UnicodeScalarView(lowered.unicodeScalars.filter { !isASCIIPunctuation($0) }))
    let words = withoutPunctuation.split(whereSeparator: \.isWhitespace).filter {
      !["a", "an", "the"].contains($0)
    }
    return words.joined(separator: " ")
  }

  /// 1 when the prediction equals some reference answer after normalisation, else 0.
  public static func exactMatch(prediction: String, groundTruths: [String]) -> Double {
    let normalized = normalize(prediction)
    return groundTruths.contains { normalize($0) == normalized } ? 1 : 0
  }

  /// The best token F1 of the prediction against the reference answers.
  public static func f1(prediction: String, groundTruths: [String]) -> Double {
    groundTruths.map { tokenF1(prediction, $0) }.max() ?? 0
  }

  /// Token F1 of two answers.
  static func tokenF1(_ prediction: String, _ truth: String) -> Double {
    let predicted = normalize(prediction).split(separator: " ")
    let expected = normalize(truth).split(separator: " ")
    if predicted.isEmpty || expected.isEmpty { return predicted == expected ? 1 : 0 }
    var remaining: [Substring: Int] = [:]
    for token in expected { remaining[token, default: 0] += 1 }
    var common = 0
    for token in predicted where (remaining[token] ?? 0) > 0 {
      remaining[token, default: 0] -= 1
      common += 1
    }
    guard common > 0 else { return 0 }
    let precision = Double(common) / Double(predicted.count)
    let recall = Double(common) / Double(expected.count)
    return 2 * precision * recall / (precision + recall)
  }

  /// Python's `string.punctuation`: the 32 ASCII punctuation characters.
  static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 33...47, 58...64, 91...96, 123...126: return true
    default: return false
    }
  }
}
