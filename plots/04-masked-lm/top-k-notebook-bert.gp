# Bar chart: Trained (notebook-bert): top 10 at [MASK]
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot top-k-notebook-bert.gp                  writes top-k-notebook-bert.png
#   gnuplot -e "preview=1" top-k-notebook-bert.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  } else {
    # This gnuplot was built without cairo: use the libgd PNG terminal.
    set terminal png size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  }
  set output "top-k-notebook-bert.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.972057 1
1 0.00915172 0
2 0.00700798 0
3 0.00543601 0
4 0.00405138 0
5 0.000409244 0
6 0.000289818 0
7 0.000275334 0
8 0.000132857 0
9 0.000118593 0
EOD

# --- Look
set title 'Trained (notebook-bert): top 10 at [MASK]' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.0111787
set xlabel 'probability at [MASK]'
set ylabel 'predicted token'
set xrange [0:1.11787]
set yrange [9.5:-0.5]  # the first bar at the top
set ytics ('fox' 0, 'mouse' 1, 'turtle' 2, 'owl' 3, 'foxes' 4, 'over' 5, 'quick' 6, 'lazy' 7, '##d' 8, 'rabbit' 9)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.4f', $2)) with labels left font ",17"
