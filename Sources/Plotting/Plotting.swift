// Plotting: the figures of the chapters, written as gnuplot scripts under plots/.
//
// Layout:
//   Script/    gnuplot syntax (escaped text, fixed number format, data-block names), the shared
//              header and output section of every script, colours and sizes
//   Figures/   the kinds of figure: LinePlot, Heatmap, HeatmapGrid, BarChart, ScatterPlot
//   Output/    PlotWriter (write a script, render it), PlotRenderer (render all scripts under a
//              folder), Gnuplot (find and run the program)
//   Stream/    GnuplotStream: commands and data sent to a running gnuplot through a pipe
//   Gallery/   one example of each kind, as shown in plots/gallery/ and the README
//
// Every script is self-contained: its data are inline as named data blocks ($name << EOD), its image
// is named relative to its own folder, and it picks pngcairo or png when it runs. The same figure
// always gives the same bytes.
//
// Left out: 3-D surface plots, animation, and interactive terminals (x11, qt, wxt); a student who
// wants a window can open any script in an interactive gnuplot and type `set terminal qt` first.
