import ArgumentParser

/// The options every chapter takes: `--seed`, `--plots`, `--preview`, `--no-render`.
public struct ChapterOptions: ParsableArguments, Sendable {
  /// The seed of every random number the chapter draws.
  @Option(help: "Seed for every random number the chapter draws.")
  public var seed: UInt64 = 42

  /// The folder under which the chapter writes `NN-name/` with its plots.
  @Option(help: "Folder under which the chapter writes its plots (plots/NN-name/...).")
  public var plots: String = "plots"

  /// Print each plot in the terminal as text (gnuplot's dumb terminal).
  @Flag(help: "Also print each plot in the terminal as text (for a classroom without a display).")
  public var preview = false

  /// Write the gnuplot scripts without running gnuplot.
  @Flag(help: "Write the gnuplot scripts but do not render them.")
  public var noRender = false

  /// The defaults (seed 42, plots/).
  public init() {}
}
