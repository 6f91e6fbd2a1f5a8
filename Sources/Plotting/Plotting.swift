/// gnuplot output for the chapters.
public enum PlottingInfo {}
