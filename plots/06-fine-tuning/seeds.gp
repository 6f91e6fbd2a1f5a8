# Bar chart: Test accuracy, mean over 5 seeds
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot seeds.gp                  writes seeds.png
#   gnuplot -e "preview=1" seeds.gp   draws the plot as text in the terminal

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
  set output "seeds.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.8755 1
1 0.751 1
2 0.7275 0
3 0.458 0
4 0.748 1
5 0.678 1
6 0.57 0
7 0.488 0
EOD

# --- Look
set title 'Test accuracy, mean over 5 seeds' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.0100683
set xlabel 'accuracy'
set ylabel ''
set xrange [0:1.00683]
set yrange [7.5:-0.5]  # the first bar at the top
set ytics ('pretrained' 0, 'pretrained: held-out words' 1, 'random' 2, 'random: held-out words' 3, 'pretrained, frozen embeddings' 4, 'pretrained, frozen embeddings: held-out words' 5, 'random, frozen embeddings' 6, 'random, frozen embeddings: held-out words' 7)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.3f', $2)) with labels left font ",17"
