# Line plot: Learning rate
#
# Written by the Plotting module of BertNotebook. The data are inline, in the $name << EOD
# blocks below, so this file is all gnuplot needs. Run it in this folder:
#   gnuplot line-plot-plain.gp                  writes line-plot-plain.svg
#   gnuplot -e "preview=1" line-plot-plain.gp   draws the plot as text in the terminal

set encoding utf8

# --- Output
if (exists("preview") && preview) {
  set terminal dumb size 100,32 enhanced
} else {
  set terminal svg size 1600,1000 enhanced font "DejaVu Sans,20" background "#ffffff"
  set output "line-plot-plain.svg"
}

# --- Data: one block per series

$warm_up_then_linear_decay << EOD
# series: warm-up then linear decay
# columns: x, y
0 0
1 5e-05
2 0.0001
3 7.5e-05
4 5e-05
5 2.5e-05
6 0
EOD

# --- Look
set title 'Learning rate' font ",26"
set xlabel 'step'
set ylabel 'learning rate'
set border 3 linewidth 1.5
set tics nomirror
set grid linecolor rgb "#dddddd" linewidth 1
set key top right spacing 1.3
set style line 1 linecolor rgb "#0072b2" linewidth 4 pointtype 7 pointsize 1.5

# --- Plot
plot $warm_up_then_linear_decay using 1:2 with lines linestyle 1 title 'warm-up then linear decay'
