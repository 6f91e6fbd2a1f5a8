# Bar chart: BERT's masking on the corpus: 17295 of 103094 tokens chosen
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot masking-shares.gp                  writes masking-shares.png
#   gnuplot -e "preview=1" masking-shares.gp   draws the plot as text in the terminal

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
  set output "masking-shares.png"
}

# --- Data: one line per bar
$bars << EOD
# columns: position, value, highlighted (1) or not (0)
0 0.16776 0
1 0.797051 0
2 0.1024 0
3 0.100549 0
EOD

# --- Look
set title 'BERT''s masking on the corpus: 17295 of 103094 tokens chosen' font ",26"
barColor = 0x4292c6
highlightColor = 0xe6550d
set style fill solid 0.9 border rgb "#ffffff"
unset key
set border 3 linewidth 1.5
set tics nomirror scale 0.5
# The printed values sit just past the end of each bar (past zero for negative bars).
pad = 0.00916609
set xlabel 'share'
set ylabel ''
set xrange [0:0.916609]
set yrange [3.5:-0.5]  # the first bar at the top
set ytics ('chosen / all tokens (0.15)' 0, '[MASK] / chosen (0.8)' 1, 'random / chosen (0.1)' 2, 'unchanged / chosen (0.1)' 3)
set grid xtics linecolor rgb "#dddddd"

# --- Plot: boxes from 0 to each value, then the values beside them
plot $bars using ($2 / 2):1:(abs($2) / 2):(0.35):($3 > 0 ? highlightColor : barColor) with boxxyerror linecolor rgb variable, \
     $bars using ($2 > 0 ? $2 + pad : pad):1:(sprintf('%.4f', $2)) with labels left font ",17"
