# Bar chart: The quick brown [MASK] jumps over the lazy dog. -- after training
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot fill-mask-after.gp                  writes fill-mask-after.png
#   gnuplot -e "preview=1" fill-mask-after.gp   draws the plot as text in the terminal

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
  set output "fill-mask-after.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.971425 1
1 0.00972261 0
2 0.00737397 0
3 0.00509931 0
4 0.00425813 0
EOD

# --- Look
set title 'The quick brown [MASK] jumps over the lazy dog. -- after training' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.0111714
set xlabel 'probability'
set ylabel ''
set xrange [0:1.11714]
set yrange [4.5:-0.5]  # the first bar at the top
set ytics ('fox' 0, 'mouse' 1, 'turtle' 2, 'owl' 3, 'foxes' 4)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.3f', $2)) with labels left font ",17"
