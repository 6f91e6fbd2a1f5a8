# Bar chart: Top 10 predictions for [MASK] in "the cat [MASK] on the mats" (illustrative data)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot top-k.gp                  writes top-k.png
#   gnuplot -e "preview=1" top-k.gp   draws the plot as text in the terminal

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
  set output "top-k.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.412 1
1 0.173 0
2 0.121 0
3 0.087 0
4 0.052 0
5 0.031 0
6 0.018 0
7 0.011 0
8 0.007 0
9 0.004 0
EOD

# --- Look
set title 'Top 10 predictions for [MASK] in "the cat [MASK] on the mats" (illustrative data)' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.004738
set xlabel 'probability'
set ylabel 'predicted token'
set xrange [0:0.4738]
set yrange [9.5:-0.5]  # the first bar at the top
set ytics ('sat' 0, 'was' 1, 'slept' 2, 'lay' 3, 'sits' 4, 'is' 5, 'stood' 6, '##s' 7, 'it''s' 8, '坐' 9)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.3f', $2)) with labels left font ",17"
