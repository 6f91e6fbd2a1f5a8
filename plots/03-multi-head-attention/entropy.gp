# Bar chart: Entropy of each head's attention (nats): lower is more focused
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot entropy.gp                  writes entropy.png
#   gnuplot -e "preview=1" entropy.gp   draws the plot as text in the terminal

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
  set output "entropy.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 2.18875 0
1 1.88821 0
2 2.09216 0
3 2.13813 0
4 2.16368 0
5 1.83378 0
6 2.04155 0
7 1.9784 0
8 2.19722 1
EOD

# --- Look
set title 'Entropy of each head''s attention (nats): lower is more focused' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.0252681
set xlabel 'entropy (nats)'
set ylabel ''
set xrange [0:2.52681]
set yrange [8.5:-0.5]  # the first bar at the top
set ytics ('head 1, fox' 0, 'head 2, fox' 1, 'head 3, fox' 2, 'head 4, fox' 3, 'head 1, mean' 4, 'head 2, mean' 5, 'head 3, mean' 6, 'head 4, mean' 7, 'uniform, ln 9' 8)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.4f', $2)) with labels left font ",17"
