/// One chapter of the notebook: its number, its executable and what it shows.
public struct ChapterEntry: Sendable, Equatable {
  /// Two-digit number, the reading order ("01").
  public let number: String
  /// The executable target's name, built beside `notebook`.
  public let executable: String
  /// The seed section it mirrors and its title.
  public let title: String
  /// One line on what it shows.
  public let summary: String

  /// A catalogue entry.
  public init(number: String, executable: String, title: String, summary: String) {
    self.number = number
    self.executable = executable
    self.title = title
    self.summary = summary
  }
}

/// The chapters in reading order. `Package.swift` declares a target for each folder;
/// this list gives the `notebook` runner and the README their titles.
public enum ChapterCatalog {
  /// Every chapter, in order.
  public static let all: [ChapterEntry] = [
    ChapterEntry(
      number: "01", executable: "Chapter01", title: "2.3 词嵌入 WordPiece tokens and embeddings",
      summary: "A WordPiece vocabulary from the corpus; text into pieces and ids; the embedding layer"),
    ChapterEntry(
      number: "02", executable: "Chapter02", title: "2.1.1, 4.1 自注意力机制 Self-attention",
      summary: "softmax(QK^T/sqrt(d_k))V for \"fox\" by hand; each layer's map, untrained and trained"),
    ChapterEntry(
      number: "03", executable: "Chapter03", title: "2.1.2 多头注意力机制 Multi-head attention",
      summary: "Four heads in four subspaces, concatenated; their entropies differ; one head's cost"),
    ChapterEntry(
      number: "04", executable: "Chapter04", title: "2.2, 4.2 掩码语言模型 The masked-LM loss",
      summary: "-ln 0.8 = 0.2231; loss at the masks only; 15% and 80/10/10; ln V before training"),
    ChapterEntry(
      number: "05", executable: "Chapter05", title: "3.1 预训练阶段 Pretraining",
      summary: "A small BERT learns the generated corpus by masked LM; loss curves; fill-mask"),
    ChapterEntry(
      number: "06", executable: "Chapter06", title: "3.2, 5.1 微调阶段 Fine-tuning",
      summary: "The seed's Trainer on a sentiment task; pretrained against a random-weight control"),
  ]

  /// The chapter with this number ("4", "04" and "4-..." all find chapter 04).
  public static func chapter(_ key: String) -> ChapterEntry? {
    let digits = key.prefix { $0.isNumber }
    guard let number = Int(digits) else { return all.first { $0.executable == key } }
    return all.first { Int($0.number) == number }
  }
}
