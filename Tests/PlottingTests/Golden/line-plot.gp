# Line plot: Loss of run_1 (log scale)
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot line-plot.gp                  writes line-plot.png
#   gnuplot -e "preview=1" line-plot.gp   draws the plot as text in the terminal

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
  set output "line-plot.png"
}

# --- Data: one block per series

$training_loss << EOD
# series: training_loss
# columns: x, y, mean of y over the x in (x - 2, x]
0 8 8
1 4 6
2 2 3
3 1 1.5
4 0.5 0.75
5 0.25 0.375
EOD

$held_out << EOD
# series: held-out
# columns: x, y, mean of y over the x in (x - 2, x]
0 9 9
2 3 3
4 1 1
EOD

# --- Look
set title 'Loss of run\_1 (log scale)' font ",26"
set xlabel 'step'
set ylabel 'loss'
set border 3 linewidth 1.5
set tics nomirror
set grid linecolor rgb "#dddddd" linewidth 1
set key top right spacing 1.3
set logscale y
set key title 'thick: moving mean over 2'
set style line 1 linecolor rgb "#0072b2" linewidth 4 pointtype 7 pointsize 1.5
set style line 101 linecolor rgb "#a6cee4" linewidth 1.5
set style line 2 linecolor rgb "#d55e00" linewidth 4 pointtype 7 pointsize 1.5
set style line 102 linecolor rgb "#f0c7a6" linewidth 1.5

# --- Plot
plot $training_loss using 1:2 with lines linestyle 101 notitle, \
     $training_loss using 1:3 with lines linestyle 1 title 'training\_loss', \
     $held_out using 1:2 with lines linestyle 102 notitle, \
     $held_out using 1:3 with linespoints linestyle 2 title 'held-out'
