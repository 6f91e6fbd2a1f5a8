# Bar chart: Attention weights of "fox": softmax(q_fox K^T / sqrt(4)) (seed 42)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot fox-weights.gp                  writes fox-weights.png
#   gnuplot -e "preview=1" fox-weights.gp   draws the plot as text in the terminal

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
  set output "fox-weights.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.165323 0
1 0.0704532 0
2 0.0702211 0
3 0.105188 1
4 0.0658974 0
5 0.0642029 0
6 0.165323 0
7 0.114784 0
8 0.178609 0
EOD

# --- Look
set title 'Attention weights of "fox": softmax(q\_fox K\^T / sqrt(4)) (seed 42)' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.002054
set ylabel 'attention weight'
set xlabel 'key word'
set yrange [0:0.2054]
set xrange [-0.5:8.5]
set xtics ('The' 0, 'quick' 1, 'brown' 2, 'fox' 3, 'jumps' 4, 'over' 5, 'the' 6, 'lazy' 7, 'dog' 8) rotate by 45 right
set grid ytics linecolor rgb "#dddddd"
set boxwidth 0.7

# --- Plot: a box per value, then the values above them
plot $bars using 1:2:($3 > 0 ? highlightColor : barColor) with boxes linecolor rgb variable, \
     $bars using 1:($2 > 0 ? $2 + pad : pad):(sprintf('%.3f', $2)) with labels center offset 0,0.5 font ",17"
