// Tokenizer benchmark: encodes two generated corpora of --megabytes MB each (2 by default; each
// is filled until it reaches that size) with [CLS]/[SEP], single-threaded, and prints tokens per
// second beside the reference tokenizers (the Rust `tokenizers` library and transformers' original
// Python tokenizer), measured by scripts/bench_tokenizer_reference.py in the same run when python3
// has them.
//
//   swift run -c release tokenizer-benchmark [--vocab PATH] [--megabytes N] [--repeats N] [--no-reference]
//                                            [--script PATH]
//
// --vocab defaults to Tests/WordPieceTests/Fixtures/vocab.txt, relative to the working directory,
// so run it from the repository root or give the path; --script defaults to the repository's
// scripts/bench_tokenizer_reference.py.
//
// Two corpora are generated from a fixed seed: English prose (mostly ASCII) and a multilingual mix
// (accents, Greek, Cyrillic, CJK, kana, Hangul, Arabic, emoji). Each timing is the median of the repeats,
// in CPU seconds of the encoding thread (on both sides), so that other processes on a shared machine
// disturb the figures little.

import BenchmarkSupport
import Foundation
import WordPiece

// MARK: - Options

/// What --help and an unknown argument print.
let usageText =
  "usage: tokenizer-benchmark [--vocab PATH] [--megabytes N] [--repeats N] [--no-reference] [--script PATH]"

struct Options {
  var vocabulary = "Tests/WordPieceTests/Fixtures/vocab.txt"
  var megabytes = 2.0
  var repeats = 5
  var reference = true
  var script = referenceScript("bench_tokenizer_reference.py")

  init(arguments: [String]) {
    var index = 1
    func value() -> String {
      index += 1
      return index < arguments.count ? arguments[index] : ""
    }
    while index < arguments.count {
      switch arguments[index] {
      case "--vocab": vocabulary = value()
      case "--megabytes": megabytes = Double(value()) ?? megabytes
      case "--repeats": repeats = max(1, Int(value()) ?? repeats)
      case "--no-reference": reference = false
      case "--script": script = value()
      case "--help", "-h": exitWithUsage(usageText)
      default: exitWithUsage(usageText, problem: "unknown argument \(arguments[index])")
      }
      index += 1
    }
  }
}

// MARK: - Corpora

/// splitmix64, so the corpus is the same on every run.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

let englishSentences = [
  "The quick brown fox jumps over the lazy dog while the farmer watches from the porch.",
  "BERT is pretrained on a large corpus with a masked language modeling objective.",
  "Attention lets every token look at every other token in the sequence at once.",
  "In 2018, researchers showed that bidirectional pretraining improves eleven NLP benchmarks.",
  "She didn't know whether the results would generalize to unseen, out-of-domain data.",
  "Tokenization splits words into subword units such as un, ##aff and ##able.",
  "The committee approved the budget of $4.5 million after a lengthy debate on Tuesday.",
  "Researchers at the university published their findings in a peer-reviewed journal.",
  "Please send your questions to support@example.com or visit https://example.com/help.",
  "Learning rates are warmed up linearly and then decayed over the remaining steps.",
  "Historians disagree about the causes of the war, but most cite economic pressures.",
  "A well-known mathematician proved the conjecture using elementary techniques.",
  "The museum's collection includes paintings, sculptures, and rare manuscripts.",
  "Weather forecasts predict heavy rain across the northern provinces this weekend.",
  "Fine-tuning adds a small classification head on top of the pooled [CLS] representation.",
  "\"We're not there yet,\" the engineer admitted, \"but we're getting closer every day.\"",
  "Photosynthesis converts light energy into chemical energy stored in glucose molecules.",
  "The train departs at 7:45 a.m. from platform 9 and arrives in the capital by noon.",
]

let multilingualSentences = [
  "Café naïve résumé: l'élève a oublié son cahier à la maison.",
  "Mädchen und Jungen spielen über die Straße hinweg Fußball.",
  "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
  "Москва — столица России, а Санкт-Петербург — культурная столица.",
  "北京是中国的首都，上海是最大的城市。",
  "東京は日本の首都です。ひらがなとカタカナ。",
  "한국어 문장입니다. 안녕하세요, 세계!",
  "مرحبا بالعالم! كيف حالك اليوم؟",
  "Emoji are everywhere now 😀👍🏽🎉 and so are accents like ñ, ø, ł.",
  "El niño comió paella en Valencia; ¿quién sabe por qué?",
]

func makeCorpus(_ sentences: [String], megabytes: Double, seed: UInt64) -> [String] {
  var random = SplitMix(state: seed)
  var lines: [String] = []
  var bytes = 0
  while Double(bytes) < megabytes * 1_000_000 {
    let count = 2 + Int(random.next() % 5)
    let line = (0..<count).map { _ in random.pick(sentences) }.joined(separator: " ")
    lines.append(line)
    bytes += line.utf8.count + 1
  }
  return lines
}

// MARK: - Timing

struct Measurement {
  var name: String
  var seconds: [Double]
  var tokens: Int
  var bytes: Int

  var median: Double { BenchmarkSupport.median(seconds) }
  var tokensPerSecond: Double { Double(tokens) / median }
  var megabytesPerSecond: Double { Double(bytes) / median / 1_000_000 }
}

/// CPU time of the calling thread, in seconds.
func threadCPUTime() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func measureSwift(_ tokenizer: BertTokenizer, _ lines: [String], repeats: Int) -> Measurement {
  var seconds: [Double] = []
  var tokens = 0
  for _ in 0..<repeats {
    let start = threadCPUTime()
    var count = 0
    for line in lines { count += tokenizer.encode(line).ids.count }
    seconds.append(threadCPUTime() - start)
    tokens = count
  }
  let bytes = lines.reduce(0) { $0 + $1.utf8.count + 1 }
  return Measurement(name: "WordPiece (Swift)", seconds: seconds, tokens: tokens, bytes: bytes)
}

/// Runs the reference script on the corpus; returns its measurements (none if python3 lacks the packages).
func measureReference(_ options: Options, lines: [String]) -> [Measurement] {
  let file = FileManager.default.temporaryDirectory.appendingPathComponent(
    "tokenizer-benchmark-\(ProcessInfo.processInfo.processIdentifier).txt")
  defer { try? FileManager.default.removeItem(at: file) }
  do {
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
  } catch {
    print("cannot write \(file.path): \(error)")
    return []
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", options.script, "--vocab", options.vocabulary, "--text", file.path, "--repeats",
    "\(options.repeats)",
  ]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  do {
    try process.run()
  } catch {
    print("reference not measured: cannot run python3 (\(error))")
    return []
  }
  let output = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  var results: [Measurement] = []
  for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let name = object["name"] as? String, let seconds = object["seconds"] as? [Double],
      let tokens = object["tokens"] as? Int, let bytes = object["bytes"] as? Int
    else { continue }
    results.append(Measurement(name: name, seconds: seconds, tokens: tokens, bytes: bytes))
  }
  if results.isEmpty { print("reference not measured: python3 lacks transformers/tokenizers") }
  return results
}

func printTable(_ title: String, _ ours: Measurement, _ references: [Measurement]) {
  print("\n\(title)")
  print(
    pad("tokenizer", 22) + pad("MB", 8) + pad("tokens", 11) + pad("cpu s", 11) + pad("tokens/s", 13)
      + pad("MB/s", 9) + "Swift ÷ this")
  for measurement in [ours] + references {
    let ratio = ours.tokensPerSecond / measurement.tokensPerSecond
    print(
      pad(measurement.name, 22) + pad(fixed(Double(measurement.bytes) / 1e6, 2), 8)
        + pad("\(measurement.tokens)", 11) + pad(fixed(measurement.median, 3), 11)
        + pad(fixed(measurement.tokensPerSecond / 1e6, 3) + "M", 13)
        + pad(fixed(measurement.megabytesPerSecond, 2), 9) + fixed(ratio, 2) + "x")
  }
  if let rust = references.first(where: { $0.name.contains("Rust") }), rust.tokens != ours.tokens {
    print("note: token counts differ from the Rust tokenizer (\(ours.tokens) vs \(rust.tokens))")
  }
}

// MARK: - Main

let options = Options(arguments: CommandLine.arguments)
do {
  let vocabulary = try Vocabulary.load(contentsOf: options.vocabulary)
  let tokenizer = try BertTokenizer(vocabulary: vocabulary)
  print("tokenizer-benchmark: \(options.megabytes) MB per corpus, median of \(options.repeats), one thread")
  for (title, sentences, seed) in [
    ("English prose, uncased", englishSentences, UInt64(1)),
    ("Multilingual mix, uncased", multilingualSentences, UInt64(2)),
  ] {
    let lines = makeCorpus(sentences, megabytes: options.megabytes, seed: seed)
    _ = tokenizer.encode(lines[0])  // builds the Unicode tables once, outside the timing
    let ours = measureSwift(tokenizer, lines, repeats: options.repeats)
    let references = options.reference ? measureReference(options, lines: lines) : []
    printTable(title, ours, references)
  }
} catch {
  FileHandle.standardError.write(Data("tokenizer-benchmark: \(error)\n".utf8))
  exit(1)
}
